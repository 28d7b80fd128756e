import type { TableKey } from "../store/tables";

/**
 * The DynamoDB stream consumers (DESIGN.md section 2, `streams/`). Pure data, read by the CDK app
 * (one function per entry, an event source mapping per table, with its dead-letter queue and
 * alarm) and by the embedded runtime's stream poller, so the two cannot drift.
 */

/**
 * An event filter pattern of an event source mapping, over the stream record as Lambda receives
 * it (`eventName`, `dynamodb.Keys`, ...): only matching records invoke the consumer.
 */
export interface StreamFilterPattern {
  readonly [field: string]: StreamFilterPattern | readonly (string | { readonly prefix: string })[];
}

export interface StreamConsumerSpec {
  /** Unique name: the local poller keeps its checkpoints under it. */
  readonly name: string;
  /** The table whose stream it reads (the table must have `stream: true`). */
  readonly table: TableKey;
  /** Handler entry relative to the repository root; it exports `handler(DynamoDBStreamEvent)`. */
  readonly entry: string;
  /** Records per invocation. */
  readonly batchSize: number;
  /** Only records matching this pattern reach the consumer in the cloud (the handler ignores the others anyway). */
  readonly filter?: StreamFilterPattern;
  /** Deployed in the cloud only; the embedded runtime does the same job its own way. */
  readonly cloudOnly?: boolean;
  /**
   * Invoked once without a payload (`{}`) after each deployment that changes the function's code or
   * configuration; the handler takes that as "resync everything", to catch up on what its stream
   * never showed it or on a configuration it acted on with an older value.
   */
  readonly resyncOnDeploy?: boolean;
}

export const SEARCH_INDEXER_ENTRY = "functions/streams/search-indexer.ts";
export const WORKFLOW_SIGNALS_ENTRY = "functions/streams/workflow-signals.ts";
export const NOTIFICATIONS_ENTRY = "functions/streams/notifications.ts";
export const DIGEST_SCHEDULES_ENTRY = "functions/streams/digest-schedules.ts";
/** The notifications consumer's name: its failed batches are the local failed-mail list. */
export const NOTIFICATIONS_CONSUMER = "notifications";

/** Every consumer the CDK app deploys. */
export const CLOUD_STREAM_CONSUMERS: readonly StreamConsumerSpec[] = [
  { name: "search-indexer-letters", table: "letters", entry: SEARCH_INDEXER_ENTRY, batchSize: 100 },
  { name: "search-indexer-files", table: "files", entry: SEARCH_INDEXER_ENTRY, batchSize: 100 },
  // Letter actions the API could not signal to the workflow (engine down or slow) reach it from here.
  { name: "workflow-signals", table: "letters", entry: WORKFLOW_SIGNALS_ENTRY, batchSize: 100 },
  // History events of letters become emails; small batches, since each record may send a mail.
  { name: NOTIFICATIONS_CONSUMER, table: "letters", entry: NOTIFICATIONS_ENTRY, batchSize: 25 },
  // An agency's EventBridge Scheduler schedule follows its settings. The embedded runtime's scheduler
  // reads agencies and settings itself every minute, so it has no use for this consumer.
  {
    name: "digest-schedules",
    table: "directory",
    entry: DIGEST_SCHEDULES_ENTRY,
    batchSize: 25,
    cloudOnly: true,
    // Agencies older than the consumer, and schedules still aimed at a replaced digest function.
    resyncOnDeploy: true,
    // Agency and settings items (store/directory.ts: pk `AGENCY#<id>`, sk `AGENCY` or `SETTINGS`), written or changed.
    filter: {
      eventName: ["INSERT", "MODIFY"],
      dynamodb: { Keys: { pk: { S: [{ prefix: "AGENCY#" }] }, sk: { S: ["AGENCY", "SETTINGS"] } } },
    },
  },
];

/** The consumers the embedded runtime's stream poller runs: all but the cloud-only ones. */
export const STREAM_CONSUMERS: readonly StreamConsumerSpec[] = CLOUD_STREAM_CONSUMERS.filter((c) => !c.cloudOnly);
