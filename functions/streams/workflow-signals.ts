import { createDynamoClients, createSfnClient } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { LetterWorkflowSignals, LetterWorkflowStore } from "../store/letter-workflow";
import { createWorkflowSignaller } from "./workflow-signalling";

/**
 * The workflow signaller's Lambda entry: consumes the Letters stream (see
 * `functions/streams/consumers.ts`); the work is in `workflow-signalling.ts`.
 */
const config = loadConfig();
const clients = createDynamoClients(config);

export const handler = createWorkflowSignaller(
  new LetterWorkflowSignals(createSfnClient(config), config.stateMachineArn, new LetterWorkflowStore(clients.doc, config.tables.letters)),
);
