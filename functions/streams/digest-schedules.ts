import { createDynamoClients, createSchedulerClient } from "../platform/clients";
import { loadConfig, loadDigestScheduleConfig } from "../platform/config";
import { createDigestScheduler } from "./digest-scheduling";

/**
 * The digest-schedules consumer's Lambda entry (cloud only): reads agency and settings records of
 * the Directory stream (see `functions/streams/consumers.ts`) and keeps each agency's EventBridge
 * Scheduler schedule in step; on a resync (`{"resync": true}`, or `{}` as the deployment's trigger
 * sends) it saves every agency's schedule. The work is in `digest-scheduling.ts`.
 */
const config = loadConfig();

export const handler = createDigestScheduler({
  doc: createDynamoClients(config).doc,
  directoryTable: config.tables.directory,
  scheduler: createSchedulerClient(config),
  target: loadDigestScheduleConfig(),
});
