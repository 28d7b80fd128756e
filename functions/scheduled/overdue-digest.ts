import * as z from "zod";
import { SesMailer } from "../notifications/mailer";
import { createDynamoClients, createSesClient } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { logger } from "../platform/logger";
import { AuditStore } from "../store/audit";
import { DirectoryStore } from "../store/directory";
import { FileStore } from "../store/files";
import { LetterStore } from "../store/letters";
import { SentMailStore } from "../store/sent-mail";
import { StatsStore } from "../store/stats";
import { createOverdueDigest, type DigestRunSummary } from "./digest";

/**
 * The overdue digest's Lambda entry. It runs one agency on `{agencyId}`: what the agency's
 * EventBridge Scheduler schedule sends at its digest time in its timezone (kept by the
 * digest-schedules stream consumer), and what the embedded runtime's scheduler sends. It runs
 * every agency on `{allAgencies: true}` (`POST /api/dev/digest`).
 */

const config = loadConfig();
const clients = createDynamoClients(config);
const audit = new AuditStore(clients.doc, config.tables.audit);

const digest = createOverdueDigest({
  directory: new DirectoryStore(clients.doc, config.tables.directory),
  // Only the overdue boxes are read; the letter store's write dependencies are never used here.
  letters: new LetterStore(clients.doc, config.tables.letters, {
    audit,
    stats: new StatsStore(clients.doc, config.tables.stats),
    files: new FileStore(clients.doc, config.tables.files, audit),
  }),
  sentMail: new SentMailStore(clients.doc, config.tables.directory),
  mailer: new SesMailer(createSesClient(config), config.mailFrom),
  appUrl: config.appUrl,
});

export const DigestInput = z.union([
  z.strictObject({ agencyId: z.string().min(1).max(64) }),
  z.strictObject({ allAgencies: z.literal(true) }),
]);
export type DigestInput = z.infer<typeof DigestInput>;

/** Runs the digest for the input; reports mail failures in the summary instead of throwing. */
export async function runDigest(input: unknown): Promise<DigestRunSummary> {
  const parsed = DigestInput.parse(input);
  if ("agencyId" in parsed) return digest.runOne(parsed.agencyId);
  return digest.runAll();
}

export class DigestIncompleteError extends Error {
  constructor(readonly summary: DigestRunSummary) {
    super(`${summary.failed} digest(s) could not be sent`);
    this.name = "DigestIncompleteError";
  }
}

/** The Lambda handler: a run with unsent digests fails, so it is retried (markers skip those already sent) and finally lands in the dead-letter queue. */
export async function handler(input: unknown): Promise<DigestRunSummary> {
  const summary = await runDigest(input);
  if (summary.failed > 0) {
    logger.error("overdue digest incomplete", { failed: summary.failed, sent: summary.sent });
    throw new DigestIncompleteError(summary);
  }
  return summary;
}
