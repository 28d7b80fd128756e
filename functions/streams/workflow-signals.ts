import { createClients } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { LetterWorkflowSignals, LetterWorkflowStore } from "../store/letter-workflow";
import { createWorkflowSignaller } from "./workflow-signalling";

/**
 * The workflow signaller's Lambda entry: consumes the Letters stream (see
 * `functions/streams/consumers.ts`); the work is in `workflow-signalling.ts`.
 */
const config = loadConfig();
const clients = createClients(config);

export const handler = createWorkflowSignaller(
  new LetterWorkflowSignals(clients.sfn, config.stateMachineArn, new LetterWorkflowStore(clients.doc, config.tables.letters)),
);
