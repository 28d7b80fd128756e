import * as z from "zod";
import { DIGEST_SCHEDULE_ENV } from "../scheduled/functions";
import { TABLES, type TableKey } from "../store/tables";

/**
 * Configuration from the environment, read and checked once when a handler module loads.
 * A missing variable fails fast with its name. AWS endpoints are not configured here: the SDK
 * reads `AWS_ENDPOINT_URL_<SERVICE>` itself, which the embedded runtime sets to its engines.
 */

const nonEmpty = (name: string) => z.string({ error: `${name} is not set` }).min(1, `${name} is empty`);

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === "") throw new Error(`Missing configuration: environment variable ${name} is not set`);
  return value;
}

export type Runtime = "local" | "cloud";

export interface Config {
  runtime: Runtime;
  region: string;
  tables: Record<TableKey, string>;
  attachmentsBucket: string;
  stateMachineArn: string;
  mailFrom: string;
  /** Base URL of the web app, for links in emails. */
  appUrl: string;
  s3ForcePathStyle: boolean;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const tables = {} as Record<TableKey, string>;
  for (const spec of Object.values(TABLES)) tables[spec.key] = requireEnv(spec.envVar, env);
  const runtime = z.enum(["local", "cloud"]).parse(env.OFISI_RUNTIME ?? "cloud");
  return {
    runtime,
    region: nonEmpty("AWS_REGION").parse(env.AWS_REGION ?? env.AWS_DEFAULT_REGION),
    tables,
    attachmentsBucket: requireEnv("ATTACHMENTS_BUCKET", env),
    stateMachineArn: requireEnv("STATE_MACHINE_ARN", env),
    mailFrom: requireEnv("MAIL_FROM", env),
    appUrl: requireEnv("APP_URL", env),
    s3ForcePathStyle: env.S3_FORCE_PATH_STYLE === "true",
  };
}

/** Where the digest-schedules consumer keeps each agency's schedule, and what the schedule invokes. */
export interface DigestScheduleConfig {
  /** The cell's EventBridge Scheduler schedule group. */
  groupName: string;
  /** The overdue digest function, the schedules' target. */
  functionArn: string;
  /** The role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
  /** Where the scheduler dead-letters an invocation it could not deliver. */
  deadLetterArn: string;
}

const arn = (name: string) => nonEmpty(name).startsWith("arn:", `${name} is not an ARN`);

/** The digest-schedules consumer's configuration (`DIGEST_SCHEDULE_ENV`), checked once at load. */
export function loadDigestScheduleConfig(env: NodeJS.ProcessEnv = process.env): DigestScheduleConfig {
  const names = DIGEST_SCHEDULE_ENV;
  return {
    groupName: nonEmpty(names.groupName)
      .regex(/^[0-9A-Za-z._-]{1,64}$/, `${names.groupName} is not a schedule group name`)
      .parse(env[names.groupName]),
    functionArn: arn(names.functionArn).parse(env[names.functionArn]),
    roleArn: arn(names.roleArn).parse(env[names.roleArn]),
    deadLetterArn: arn(names.deadLetterArn).parse(env[names.deadLetterArn]),
  };
}
