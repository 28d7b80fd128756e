import { createDynamoClients, createSfnClient } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { AuditStore } from "../store/audit";
import { DirectoryStore } from "../store/directory";
import { FileStore } from "../store/files";
import { LetterWorkflowSignals, LetterWorkflowStore } from "../store/letter-workflow";
import { LetterStore } from "../store/letters";
import { StatsStore } from "../store/stats";

/**
 * What the workflow's task functions share, created once per module load (one Lambda container,
 * or once in the embedded runtime): configuration, clients and stores.
 */
export const config = loadConfig();
export const clients = createDynamoClients(config);
export const directory = new DirectoryStore(clients.doc, config.tables.directory);
const audit = new AuditStore(clients.doc, config.tables.audit);
const stats = new StatsStore(clients.doc, config.tables.stats);
const files = new FileStore(clients.doc, config.tables.files, audit);
export const letters = new LetterStore(clients.doc, config.tables.letters, { audit, stats, files });
export const workflowStore = new LetterWorkflowStore(clients.doc, config.tables.letters);
// A pure call without arguments, so tasks that never signal leave the Step Functions client out.
export const signals = /* @__PURE__ */ createSignals();
function createSignals(): LetterWorkflowSignals {
  return new LetterWorkflowSignals(createSfnClient(config), config.stateMachineArn, workflowStore);
}
