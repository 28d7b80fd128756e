import { createNotifier } from "../notifications/notifier";
import { SesMailer } from "../notifications/mailer";
import { createDynamoClients, createSesClient } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { AuditStore } from "../store/audit";
import { DirectoryStore } from "../store/directory";
import { FileStore } from "../store/files";
import { LetterStore } from "../store/letters";
import { SentMailStore } from "../store/sent-mail";
import { StatsStore } from "../store/stats";

/**
 * The notifications consumer's Lambda entry: reads history events from the Letters stream (see
 * `functions/streams/consumers.ts`) and mails the people they concern; the work is in
 * `notifications/notifier.ts`.
 */
const config = loadConfig();
const clients = createDynamoClients(config);
const audit = new AuditStore(clients.doc, config.tables.audit);

export const { handler } = createNotifier({
  // Only read here; the letter store's write dependencies are never used by the consumer.
  letters: new LetterStore(clients.doc, config.tables.letters, {
    audit,
    stats: new StatsStore(clients.doc, config.tables.stats),
    files: new FileStore(clients.doc, config.tables.files, audit),
  }),
  directory: new DirectoryStore(clients.doc, config.tables.directory),
  sentMail: new SentMailStore(clients.doc, config.tables.directory),
  mailer: new SesMailer(createSesClient(config), config.mailFrom),
  appUrl: config.appUrl,
});
