import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { inject } from "vitest";
import type { Role } from "../../../functions/core/roles";
import { LocalTokenKeys } from "../../../functions/platform/auth";
import { DirectoryStore } from "../../../functions/store/directory";
import type { TableKey } from "../../../functions/store/tables";
import { startGateway } from "../../../local/gateway";
import { seedDemoData } from "../../../local/seed";
import { ensureAppTables, tableEnv } from "../../../local/tables";
import { dynamoClient, dynamoEndpoint, LOCAL_AWS, s3Endpoint, uniquePrefix } from "../support/engines";

/**
 * The files, letters, attachments and audit route groups (and the directory groups they lean on),
 * exactly as Lambda runs them, behind the local gateway, against DynamoDB Local and s3rver. The
 * environment is set before the handler modules load, as the embedded runtime does; one harness
 * per test file (each file runs in its own worker). Tokens are signed with the local provider's
 * key, as a sign-in would give them.
 */

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export interface Person {
  id: string;
  email: string;
  token: string;
  departmentId: string | null;
}

export interface Harness {
  url: string;
  tables: Record<TableKey, string>;
  bucket: string;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  directory: DirectoryStore;
  demo: { agencyId: string; departmentId: string };
  call<T = unknown>(method: string, path: string, options?: CallOptions): Promise<ApiResponse<T>>;
  /** A signed-in user of the seeded data, by email. */
  person(email: string): Promise<Person>;
  /** Creates a user (and a department when `departmentCode` is new) in an agency, signed in. */
  addPerson(input: { agencyId: string; email: string; roles: Role[]; departmentId: string | null; supervisorId?: string | null }): Promise<Person>;
  /** Onboards another agency with one department. */
  addAgency(code: string, domain: string): Promise<{ agencyId: string; departmentId: string }>;
  /** Every item of the given tables, for "nothing was written" checks. */
  snapshot(keys?: TableKey[]): Promise<string[]>;
  getItem(table: TableKey, pk: string, sk: string): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

export const DEMO = {
  admin: "admin@demo.go.tz",
  registry: "registry@demo.go.tz",
  supervisor: "supervisor@demo.go.tz",
  officerA: "officer.a@demo.go.tz",
  officerB: "officer.b@demo.go.tz",
} as const;

/** Route groups a harness may serve besides its own, loaded (like its own) after the environment is set. */
const EXTRA_GROUPS = {
  dashboard: () => import("../../../functions/http/dashboard"),
  search: () => import("../../../functions/http/search"),
} as const;

export interface HarnessOptions {
  /** Environment on top of the harness's own, set before the handlers load (e.g. a workflow engine's endpoint). */
  env?: Record<string, string>;
  /** More route groups behind the same gateway, so `call` reaches them too. */
  extraGroups?: readonly (keyof typeof EXTRA_GROUPS)[];
}

export async function startHarness(label: string, options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), `ofisi-${label}-`));
  const prefix = uniquePrefix(label);
  const bucket = inject("s3Buckets")[0] ?? "it-attachments-1";
  const dynamo = dynamoClient();
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  const s3 = new S3Client({ ...LOCAL_AWS, endpoint: s3Endpoint(), forcePathStyle: true });
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    Object.assign(process.env, {
      OFISI_RUNTIME: "local",
      OFISI_DATA_DIR: dataDir,
      AUTH_PROVIDER: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint(),
      AWS_ENDPOINT_URL_S3: s3Endpoint(),
      AWS_ENDPOINT_URL_SESV2: "http://127.0.0.1:9",
      // No workflow engine here: starting and signalling fail at once on loopback and are only logged.
      AWS_ENDPOINT_URL_SFN: "http://127.0.0.1:9",
      S3_FORCE_PATH_STYLE: "true",
      ATTACHMENTS_BUCKET: bucket,
      STATE_MACHINE_ARN: "arn:aws:states:af-south-1:000000000000:stateMachine:unused",
      MAIL_FROM: "Ofisi Mtandao <no-reply@ofisi.go.tz>",
      APP_URL: "http://localhost",
      ...tableEnv(prefix),
      ...options.env,
    });
    const tables = await ensureAppTables(dynamo, prefix);
    await seedDemoData(doc, tables.directory, tables);
    const directory = new DirectoryStore(doc, tables.directory);
    const keys = new LocalTokenKeys(dataDir);

    const groups = {
      me: (await import("../../../functions/http/me")).handler,
      users: (await import("../../../functions/http/users")).handler,
      files: (await import("../../../functions/http/files")).handler,
      letters: (await import("../../../functions/http/letters")).handler,
      attachments: (await import("../../../functions/http/attachments")).handler,
      audit: (await import("../../../functions/http/audit")).handler,
    };
    for (const group of options.extraGroups ?? []) Object.assign(groups, { [group]: (await EXTRA_GROUPS[group]()).handler });
    gateway = await startGateway({ port: 0, handlers: groups });
    const url = `http://127.0.0.1:${gateway.port}`;

    const call = async <T = unknown>(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse<T>> => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined = options.raw;
      if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await fetch(`${url}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      return { status: res.status, body: parsed as T, text, headers: res.headers };
    };

    const signIn = async (user: { id: string; email: string; agencyId: string; departmentId: string | null }): Promise<Person> => {
      const { token } = await keys.sign({ email: user.email, userId: user.id, agencyId: user.agencyId });
      return { id: user.id, email: user.email, token, departmentId: user.departmentId };
    };

    const person = async (email: string) => {
      const user = await directory.findUserByEmail(email);
      if (!user) throw new Error(`No user ${email}`);
      return signIn(user);
    };

    const demoAdmin = await directory.findUserByEmail(DEMO.admin);
    if (!demoAdmin?.departmentId) throw new Error("The seed has no demo admin");

    const snapshot = async (only?: TableKey[]) => {
      const items: string[] = [];
      for (const key of only ?? (Object.keys(tables) as TableKey[])) {
        let startKey: Record<string, AttributeValue> | undefined;
        do {
          const out = await dynamo.send(new ScanCommand({ TableName: tables[key], ExclusiveStartKey: startKey }));
          for (const item of out.Items ?? []) items.push(`${key} ${JSON.stringify(item, Object.keys(item).sort())}`);
          startKey = out.LastEvaluatedKey;
        } while (startKey);
      }
      return items.sort();
    };

    const gw = gateway;
    return {
      url,
      tables,
      bucket,
      dynamo,
      doc,
      s3,
      directory,
      demo: { agencyId: demoAdmin.agencyId, departmentId: demoAdmin.departmentId },
      call,
      person,
      addPerson: async (input) => {
        const user = await directory.createUser(input.agencyId, {
          email: input.email,
          name: input.email.split("@")[0] ?? input.email,
          roles: input.roles,
          departmentId: input.departmentId,
          supervisorId: input.supervisorId ?? null,
        });
        return signIn(user);
      },
      addAgency: async (code, domain) => {
        const agency = await directory.createAgency({ code, name: `Agency ${code}`, emailDomains: [domain] });
        const department = await directory.createDepartment(agency.id, { code: "ADM", name: "Utawala" });
        return { agencyId: agency.id, departmentId: department.id };
      },
      snapshot,
      getItem: async (table, pk, sk) => (await doc.send(new GetCommand({ TableName: tables[table], Key: { pk, sk }, ConsistentRead: true }))).Item,
      stop: async () => {
        await gw.stop();
        dynamo.destroy();
        s3.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await gateway?.stop();
    dynamo.destroy();
    s3.destroy();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Reads a JSON body's field without casts spreading through the tests. */
export function field<T = unknown>(body: unknown, ...path: string[]): T {
  let value: unknown = body;
  for (const key of path) value = typeof value === "object" && value !== null ? (value as Record<string, unknown>)[key] : undefined;
  return value as T;
}

export interface LetterBody {
  id: string;
  reference: string;
  status: string;
  assigneeId: string;
  approverId: string | null;
  version: number;
  folio: number | null;
  dueAt: string;
  priority: string;
  fileId: string | null;
}

/** A future instant, `days` from now. */
export function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}
