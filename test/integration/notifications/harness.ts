import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBStreamEvent } from "aws-lambda";
import { NOTIFICATIONS_CONSUMER } from "../../../functions/streams/consumers";
import { AuditStore } from "../../../functions/store/audit";
import { FileStore } from "../../../functions/store/files";
import { LetterStore } from "../../../functions/store/letters";
import { StatsStore } from "../../../functions/store/stats";
import { startLocalMailbox, type LocalMailbox, type MailItem } from "../../../local/mail";
import { listFailedBatches, startStreamPoller, type StreamPoller, type StreamPollerOptions } from "../../../local/streams/poller";
import { DEMO, startHarness, type Harness, type LetterBody, type Person } from "../letters/harness";
import { LOCAL_AWS, dynamoEndpoint } from "../support/engines";

/**
 * The records harness (letters and directory route groups as Lambda runs them) plus the local
 * mailbox as the SES endpoint and, unless `consumer: false`, the notifications consumer fed by the
 * real stream poller, as the embedded runtime wires them (`functions/streams/consumers.ts`).
 */

export const APP_URL = "http://ofisi.test";
export const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface NotificationsHarness extends Harness {
  mailbox: LocalMailbox;
  letters: LetterStore;
  /** Calls of the consumer's handler so far (attempts, including retries). */
  handlerCalls(): number;
  /** Resolves once the consumer has handled (or given up on) every change made so far. */
  delivered(): Promise<void>;
  mailsTo(email: string): MailItem[];
  failedBatches(): ReturnType<typeof listFailedBatches>;
  /** Registers a letter for `assignee` as `by` (registry by default); returns its body. */
  register(assignee: Person, options?: { by?: Person; subject?: string; dueInDays?: number }): Promise<LetterBody>;
  act(person: Person, letter: { id: string }, action: string, body?: Record<string, unknown>): Promise<LetterBody>;
  /** The demo agency's people, signed in. */
  people(): Promise<{ registry: Person; supervisor: Person; officerA: Person; officerB: Person; admin: Person }>;
}

export async function startNotificationsHarness(label: string, options: { consumer?: boolean; poller?: Partial<StreamPollerOptions> } = {}): Promise<NotificationsHarness> {
  const h = await startHarness(label);
  const mailDir = mkdtempSync(join(tmpdir(), `ofisi-${label}-mail-`));
  const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint() });
  let mailbox: LocalMailbox | undefined;
  let poller: StreamPoller | undefined;
  const checkpointTable = `${h.tables.letters}-checkpoints`;
  const cleanUp = async () => {
    await poller?.stop();
    await mailbox?.stop();
    streams.destroy();
    rmSync(mailDir, { recursive: true, force: true });
    await h.stop();
  };
  try {
    mailbox = await startLocalMailbox({ dataDir: mailDir, logger: quietLogger });
    // Before the consumer and digest modules load: they read their configuration once, as on Lambda.
    Object.assign(process.env, { AWS_ENDPOINT_URL_SESV2: mailbox.endpoint, APP_URL });
    let calls = 0;
    if (options.consumer !== false) {
      const { handler } = await import("../../../functions/streams/notifications");
      poller = await startStreamPoller({
        dynamo: h.dynamo,
        streams,
        checkpointTable,
        consumers: [
          {
            name: NOTIFICATIONS_CONSUMER,
            tableName: h.tables.letters,
            batchSize: 25,
            handler: (event: DynamoDBStreamEvent) => {
              calls += 1;
              return handler(event);
            },
          },
        ],
        pollIntervalMs: 100,
        retryBackoffMs: 50,
        logger: quietLogger,
        ...options.poller,
      });
    }
    const audit = new AuditStore(h.doc, h.tables.audit);
    const letters = new LetterStore(h.doc, h.tables.letters, {
      audit,
      stats: new StatsStore(h.doc, h.tables.stats),
      files: new FileStore(h.doc, h.tables.files, audit),
    });
    const box = mailbox;
    const running = poller;

    const act = async (person: Person, letter: { id: string }, action: string, body: Record<string, unknown> = {}) => {
      const res = await h.call<LetterBody>("POST", `/api/letters/${letter.id}/${action}`, { token: person.token, body });
      if (res.status !== 200) throw new Error(`${action} answered ${res.status}: ${res.text}`);
      return res.body;
    };

    return {
      ...h,
      mailbox: box,
      letters,
      handlerCalls: () => calls,
      delivered: async () => {
        await running?.idle();
      },
      mailsTo: (email) => box.list({ to: email }),
      failedBatches: () => listFailedBatches(h.dynamo, checkpointTable, NOTIFICATIONS_CONSUMER),
      register: async (assignee, opts = {}) => {
        const by = opts.by ?? (await h.person(DEMO.registry));
        const res = await h.call<LetterBody>("POST", "/api/letters", {
          token: by.token,
          body: {
            subject: opts.subject ?? "Ombi la vifaa vya ofisi",
            direction: by.email === DEMO.registry ? "INCOMING" : "INTERNAL",
            assigneeId: assignee.id,
            requiresApproval: true,
            dueInDays: opts.dueInDays ?? 3,
          },
        });
        if (res.status !== 201) throw new Error(`register answered ${res.status}: ${res.text}`);
        return res.body;
      },
      act,
      people: async () => ({
        registry: await h.person(DEMO.registry),
        supervisor: await h.person(DEMO.supervisor),
        officerA: await h.person(DEMO.officerA),
        officerB: await h.person(DEMO.officerB),
        admin: await h.person(DEMO.admin),
      }),
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** Waits until `check` holds (polling), for conditions no event announces. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("Timed out waiting for a condition");
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
