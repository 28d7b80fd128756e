import { randomUUID } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import * as z from "zod";
import { logger as platformLogger } from "../../functions/platform/logger";

/** One message as the local mailbox keeps it. */
export interface MailItem {
  id: string;
  to: string[];
  cc: string[];
  bcc: string[];
  from: string;
  subject: string;
  text: string | null;
  html: string | null;
  sentAt: string;
}

export interface MailQuery {
  /** A recipient address (To, Cc or Bcc), compared without regard to case. */
  to?: string;
  /** At most this many messages, newest first. Default 100. */
  limit?: number;
}

export interface LocalMailbox {
  /** Base URL for `AWS_ENDPOINT_URL_SESV2`. */
  endpoint: string;
  list(query?: MailQuery): MailItem[];
  clear(): void;
  /** While on, SendEmail and GetAccount answer 503, as if SES were unavailable. */
  setFailing(on: boolean): void;
  stop(): Promise<void>;
}

/** What the mailbox needs of a logger; the Powertools logger fits. */
export interface MailboxLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const MAX_RECIPIENTS = 50; // the SES limit per message
const MAILBOX_FILE = "mailbox.jsonl";

/** The address inside `Name <address>` or the whole string, lower-cased for comparison. */
export function addressOf(recipient: string): string {
  const angled = /<([^<>]+)>\s*$/.exec(recipient);
  return (angled?.[1] ?? recipient).trim().toLowerCase();
}

const emailAddress = z
  .string()
  .max(320)
  .refine((value) => /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(addressOf(value)), { message: "Not an email address" });

const content = z.object({ Data: z.string(), Charset: z.string().optional() });

// The part of SendEmail's request the system uses: simple messages only.
const sendEmailRequest = z
  .object({
    FromEmailAddress: emailAddress,
    Destination: z.object({
      ToAddresses: z.array(emailAddress).optional(),
      CcAddresses: z.array(emailAddress).optional(),
      BccAddresses: z.array(emailAddress).optional(),
    }),
    ReplyToAddresses: z.array(emailAddress).optional(),
    Content: z.object({
      Simple: z.object(
        {
          Subject: content,
          Body: z
            .object({ Text: content.optional(), Html: content.optional() })
            .refine((body) => body.Text !== undefined || body.Html !== undefined, { message: "Text or Html is required" }),
        },
        { error: "Content.Simple is required (the local mailbox accepts simple messages only)" },
      ),
    }),
  })
  .refine(
    (request) => {
      const d = request.Destination;
      const count = (d.ToAddresses?.length ?? 0) + (d.CcAddresses?.length ?? 0) + (d.BccAddresses?.length ?? 0);
      return count >= 1 && count <= MAX_RECIPIENTS;
    },
    { message: `Destination needs 1 to ${MAX_RECIPIENTS} recipients`, path: ["Destination"] },
  );

const storedItem = z.object({
  id: z.string(),
  to: z.array(z.string()),
  cc: z.array(z.string()).default([]),
  bcc: z.array(z.string()).default([]),
  from: z.string(),
  subject: z.string(),
  text: z.string().nullable(),
  html: z.string().nullable(),
  sentAt: z.string(),
});

class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

function describeIssues(error: z.ZodError): string {
  // Paths and rules only: values (which may be message bodies) never appear in the message.
  return error.issues.map((issue) => `${issue.path.join(".") || "request"}: ${issue.message}`).join("; ");
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ServiceError(400, "BadRequestException", "The message is too large"));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

function send(response: ServerResponse, status: number, body: unknown, errorType?: string): void {
  const text = JSON.stringify(body);
  const headers: Record<string, string | number> = {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  };
  // The REST-JSON protocol: the SDK reads the error's name from this header and its text from `message`.
  if (errorType) headers["x-amzn-errortype"] = errorType;
  response.writeHead(status, headers);
  response.end(text);
}

function loadMailbox(file: string, log: MailboxLogger): MailItem[] {
  if (!existsSync(file)) return [];
  const items: MailItem[] = [];
  let skipped = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line.trim()) continue;
    try {
      const parsed = storedItem.safeParse(JSON.parse(line));
      if (parsed.success) items.push(parsed.data);
      else skipped += 1;
    } catch {
      skipped += 1; // a line cut short by a crash while writing
    }
  }
  if (skipped > 0) log.warn("Skipped unreadable lines of the local mailbox", { file, skipped });
  return items;
}

/**
 * The local stand-in for Amazon SES v2: SendEmail and GetAccount on a loopback port, reached
 * through the ordinary `SESv2Client` (via `AWS_ENDPOINT_URL_SESV2`). Messages are kept in an
 * append-only JSON lines file under `dataDir`, so they survive a restart.
 */
export async function startLocalMailbox(options: { dataDir: string; port?: number; logger?: MailboxLogger }): Promise<LocalMailbox> {
  const log = options.logger ?? platformLogger;
  mkdirSync(options.dataDir, { recursive: true });
  const file = join(options.dataDir, MAILBOX_FILE);
  const items = loadMailbox(file, log);
  let failing = false;

  function sendEmail(raw: unknown): { MessageId: string } {
    const parsed = sendEmailRequest.safeParse(raw);
    if (!parsed.success) throw new ServiceError(400, "BadRequestException", describeIssues(parsed.error));
    const request = parsed.data;
    const simple = request.Content.Simple;
    const item: MailItem = {
      id: `${Date.now().toString(16)}-${randomUUID()}-000000`,
      to: request.Destination.ToAddresses ?? [],
      cc: request.Destination.CcAddresses ?? [],
      bcc: request.Destination.BccAddresses ?? [],
      from: request.FromEmailAddress,
      subject: simple.Subject.Data,
      text: simple.Body.Text?.Data ?? null,
      html: simple.Body.Html?.Data ?? null,
      sentAt: new Date().toISOString(),
    };
    appendFileSync(file, `${JSON.stringify(item)}\n`);
    items.push(item);
    // Never the subject or body: they may carry one-time codes.
    log.info("Local mailbox stored a message", {
      messageId: item.id,
      recipients: item.to.length + item.cc.length + item.bcc.length,
    });
    return { MessageId: item.id };
  }

  function getAccount(): Record<string, unknown> {
    const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
    return {
      SendingEnabled: true,
      ProductionAccessEnabled: true,
      EnforcementStatus: "HEALTHY",
      DedicatedIpAutoWarmupEnabled: false,
      SendQuota: {
        Max24HourSend: 50_000,
        MaxSendRate: 14,
        SentLast24Hours: items.filter((item) => Date.parse(item.sentAt) >= dayAgo).length,
      },
    };
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? "/", "http://localhost").pathname.replace(/\/+$/, "");
    const route = `${request.method ?? "GET"} ${path}`;
    if (route !== "POST /v2/email/outbound-emails" && route !== "GET /v2/email/account") {
      request.resume();
      throw new ServiceError(404, "NotFoundException", `The local mailbox does not serve ${route}`);
    }
    const body = await readBody(request);
    if (failing) throw new ServiceError(503, "ServiceUnavailable", "The local mailbox is switched to failing mode");
    if (route === "GET /v2/email/account") return send(response, 200, getAccount());
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      throw new ServiceError(400, "BadRequestException", "The request body is not valid JSON");
    }
    send(response, 200, sendEmail(json));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (response.headersSent) return;
      if (error instanceof ServiceError) send(response, error.status, { message: error.message }, error.type);
      else {
        log.warn("Local mailbox request failed", { error: error instanceof Error ? error.message : String(error) });
        send(response, 500, { message: "Internal error in the local mailbox" }, "InternalServiceErrorException");
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address: AddressInfo | string | null = server.address();
  if (!address || typeof address === "string") throw new Error("The local mailbox has no TCP address");
  const { port } = address;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    list(query: MailQuery = {}) {
      const wanted = query.to ? addressOf(query.to) : undefined;
      const limit = Math.max(0, query.limit ?? 100);
      const found: MailItem[] = [];
      for (let i = items.length - 1; i >= 0 && found.length < limit; i -= 1) {
        const item = items[i];
        if (!item) continue;
        if (wanted && ![...item.to, ...item.cc, ...item.bcc].some((r) => addressOf(r) === wanted)) continue;
        found.push(item);
      }
      return found;
    },
    clear() {
      items.length = 0;
      writeFileSync(file, "");
    },
    setFailing(on: boolean) {
      failing = on;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
