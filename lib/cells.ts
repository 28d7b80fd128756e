import { RetentionDays } from "aws-cdk-lib/aws-logs";
import * as z from "zod";

/**
 * Deployment configuration read from the CDK context (`cdk.json` or `-c key=value`).
 * Top-level keys are the defaults of every cell; a cell may override any of them.
 * A cell is one complete deployment of the stacks (DESIGN.md section 7): the shared cell serves
 * every agency by default, and a large agency gets its own cell with one line, e.g.
 * `{ "name": "tra", "mailFrom": "barua@tra.go.tz" }`.
 */

const RETENTION_VALUES: readonly number[] = Object.values(RetentionDays).filter((v): v is number => typeof v === "number");

const ExistingVpc = z.object({
  vpcId: z.string().regex(/^vpc-[0-9a-f]+$/, "vpcId looks like vpc-0123abcd"),
  /** CIDR of the VPC: the execute-api endpoint accepts HTTPS from it. */
  cidrBlock: z.string().regex(/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/, "cidrBlock looks like 10.0.0.0/16"),
  /** Subnets (one per availability zone) that receive the endpoint's network interfaces. */
  subnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]+$/)).min(1),
  availabilityZones: z.array(z.string().min(1)).min(1),
});
export type ExistingVpc = z.infer<typeof ExistingVpc>;

const CellSettings = z.object({
  /** Sender address of every email; the SES identity must be verified in the account. */
  mailFrom: z.email(),
  /** SES identity (domain or address) the functions may send as; defaults to the domain of mailFrom. */
  sesIdentity: z.string().min(1).optional(),
  /** Base URL of the web app, used in email links and as the CORS origin of attachment uploads. */
  appUrl: z.url({ protocol: /^https?$/ }),
  /** An existing VPC; without it the cell creates its own isolated VPC. */
  vpc: ExistingVpc.optional(),
  /** Email address subscribed to the alarm topic. */
  alarmEmail: z.email().optional(),
  /** Retention of function, workflow and API logs (a CloudWatch Logs retention value). */
  logRetentionDays: z
    .number()
    .refine((days) => RETENTION_VALUES.includes(days), "logRetentionDays must be a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, 60, 90, ...)")
    // Checked against the enum's own values just above.
    .transform((days) => days as RetentionDays),
  /** DynamoDB deletion protection; keep it on in production. */
  deletionProtection: z.boolean(),
});

// Cells inherit from the top level, so defaults are applied once, there, and never in a cell.
const TopLevelSettings = CellSettings.extend({
  logRetentionDays: CellSettings.shape.logRetentionDays.default(RetentionDays.THREE_MONTHS),
  deletionProtection: CellSettings.shape.deletionProtection.default(true),
});

const Cell = CellSettings.partial().extend({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,19}$/, "a cell name is 1-20 lowercase letters, digits or dashes, starting with a letter"),
});

const OfisiContext = TopLevelSettings.extend({
  cells: z.array(Cell).min(1),
  /**
   * API Gateway needs one account-wide CloudWatch role for access logs; the first cell creates it.
   * Set to false when the account already has one.
   */
  apiGatewayAccountRole: z.boolean().default(true),
});

export interface CellConfig {
  readonly name: string;
  readonly mailFrom: string;
  readonly sesIdentity: string;
  readonly appUrl: string;
  readonly vpc?: ExistingVpc;
  readonly alarmEmail?: string;
  readonly logRetentionDays: RetentionDays;
  readonly deletionProtection: boolean;
  /** Only one cell per account and region configures the API Gateway account role. */
  readonly apiGatewayAccountRole: boolean;
}

/** Context keys read by the app; `-c key=value` arrives as a string, so JSON is parsed here. */
export const CONTEXT_KEYS = [
  "cells",
  "mailFrom",
  "sesIdentity",
  "appUrl",
  "vpc",
  "alarmEmail",
  "logRetentionDays",
  "deletionProtection",
  "apiGatewayAccountRole",
] as const;

function fromContextValue(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed) || trimmed === "true" || trimmed === "false" || /^\d+$/.test(trimmed)) {
    return JSON.parse(trimmed) as unknown;
  }
  return value;
}

export function parseCells(readContext: (key: string) => unknown): CellConfig[] {
  const raw: Record<string, unknown> = {};
  for (const key of CONTEXT_KEYS) {
    const value = readContext(key);
    if (value !== undefined) raw[key] = fromContextValue(value);
  }
  const parsed = OfisiContext.safeParse(raw);
  if (!parsed.success) {
    throw new Error(`Invalid Ofisi context in cdk.json / -c:\n${z.prettifyError(parsed.error)}`);
  }
  const { cells, apiGatewayAccountRole, ...defaults } = parsed.data;
  const names = new Set<string>();
  return cells.map((cell, index) => {
    if (names.has(cell.name)) throw new Error(`Cell ${cell.name} is listed twice in the context`);
    names.add(cell.name);
    const settings = { ...defaults, ...definedOnly(cell) };
    return {
      ...settings,
      name: cell.name,
      sesIdentity: settings.sesIdentity ?? domainOf(settings.mailFrom),
      apiGatewayAccountRole: apiGatewayAccountRole && index === 0,
    };
  });
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf("@") + 1);
}
