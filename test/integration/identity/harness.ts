import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ScanCommand, type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startGateway } from "../../../local/gateway";
import { startLocalMailbox, type LocalMailbox } from "../../../local/mail";
import { seedDemoData } from "../../../local/seed";
import { ensureAppTables, tableEnv } from "../../../local/tables";
import { dynamoClient, dynamoEndpoint, uniquePrefix } from "../support/engines";

/**
 * The identity route groups, exactly as Lambda runs them, behind the local gateway, against
 * DynamoDB Local and the local mailbox. The environment is set before the handler modules load,
 * as the embedded runtime does. One harness per test file (each file runs in its own worker).
 */

export interface ApiResponse {
  status: number;
  body: unknown;
  text: string;
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  /** A raw body, sent as is (for malformed JSON and the like). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface Harness {
  url: string;
  dataDir: string;
  directoryTable: string;
  dynamo: DynamoDBClient;
  doc: DynamoDBDocumentClient;
  mailbox: LocalMailbox;
  call(method: string, path: string, options?: CallOptions): Promise<ApiResponse>;
  /** Signs in through the real flow: code requested, read from the mailbox, exchanged for a token. */
  login(email: string): Promise<string>;
  /** The last sign-in code mailed to an address, if any. */
  lastCode(email: string): string | undefined;
  /** Every item of the Directory table, for "nothing was written" checks. */
  snapshot(): Promise<string[]>;
  stop(): Promise<void>;
}

export const DEMO = {
  admin: "admin@demo.go.tz",
  registry: "registry@demo.go.tz",
  supervisor: "supervisor@demo.go.tz",
  officerA: "officer.a@demo.go.tz",
  officerB: "officer.b@demo.go.tz",
  operator: "operator@ofisi.go.tz",
} as const;

export async function startHarness(label: string): Promise<Harness> {
  const dataDir = mkdtempSync(join(tmpdir(), `ofisi-${label}-`));
  const prefix = uniquePrefix(label);
  const dynamo = dynamoClient();
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } });
  let mailbox: LocalMailbox | undefined;
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  try {
    mailbox = await startLocalMailbox({ dataDir: join(dataDir, "mail"), logger: { info: () => undefined, warn: () => undefined } });
    Object.assign(process.env, {
      OFISI_RUNTIME: "local",
      OFISI_DATA_DIR: dataDir,
      AUTH_PROVIDER: "local",
      AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint(),
      AWS_ENDPOINT_URL_SESV2: mailbox.endpoint,
      ATTACHMENTS_BUCKET: "unused",
      STATE_MACHINE_ARN: "arn:aws:states:af-south-1:000000000000:stateMachine:unused",
      MAIL_FROM: "Ofisi Mtandao <no-reply@ofisi.go.tz>",
      APP_URL: "http://localhost",
      ...tableEnv(prefix),
    });
    const tables = await ensureAppTables(dynamo, prefix);
    await seedDemoData(doc, tables.directory);

    const groups = {
      auth: (await import("../../../functions/http/auth")).handler,
      me: (await import("../../../functions/http/me")).handler,
      agencies: (await import("../../../functions/http/agencies")).handler,
      departments: (await import("../../../functions/http/departments")).handler,
      users: (await import("../../../functions/http/users")).handler,
      settings: (await import("../../../functions/http/settings")).handler,
    };
    gateway = await startGateway({ port: 0, handlers: groups });
    const url = `http://127.0.0.1:${gateway.port}`;
    const box = mailbox;
    const directoryTable = tables.directory;

    const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> => {
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
      return { status: res.status, body: parsed, text };
    };

    const lastCode = (email: string) => {
      const [latest] = box.list({ to: email, limit: 1 });
      return /\b(\d{6})\b/.exec(latest?.text ?? "")?.[1];
    };

    const login = async (email: string) => {
      const before = box.list({ to: email }).length;
      const otp = await call("POST", "/api/auth/otp", { body: { email } });
      if (otp.status !== 202) throw new Error(`OTP for ${email} answered ${otp.status}: ${otp.text}`);
      if (box.list({ to: email }).length !== before + 1) throw new Error(`No code was mailed to ${email}`);
      const res = await call("POST", "/api/auth/token", { body: { email, code: lastCode(email) } });
      if (res.status !== 200) throw new Error(`Token for ${email} answered ${res.status}: ${res.text}`);
      return (res.body as { token: string }).token;
    };

    const snapshot = async () => {
      const items: string[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const out = await dynamo.send(new ScanCommand({ TableName: directoryTable, ExclusiveStartKey: startKey }));
        for (const item of out.Items ?? []) items.push(JSON.stringify(item, Object.keys(item).sort()));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
      return items.sort();
    };

    const gw = gateway;
    return {
      url,
      dataDir,
      directoryTable,
      dynamo,
      doc,
      mailbox: box,
      call,
      login,
      lastCode,
      snapshot,
      stop: async () => {
        await gw.stop();
        await box.stop();
        dynamo.destroy();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await gateway?.stop();
    await mailbox?.stop();
    dynamo.destroy();
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
