import type { TableKey } from "../store/tables";

/**
 * The DynamoDB stream consumers (DESIGN.md section 2, `streams/`). Pure data, read by the CDK app
 * (one function per entry, an event source mapping per table, with its dead-letter queue and
 * alarm) and by the embedded runtime's stream poller, so the two cannot drift.
 */
export interface StreamConsumerSpec {
  /** Unique name: the local poller keeps its checkpoints under it. */
  readonly name: string;
  /** The table whose stream it reads (the table must have `stream: true`). */
  readonly table: TableKey;
  /** Handler entry relative to the repository root; it exports `handler(DynamoDBStreamEvent)`. */
  readonly entry: string;
  /** Records per invocation. */
  readonly batchSize: number;
}

export const SEARCH_INDEXER_ENTRY = "functions/streams/search-indexer.ts";
export const WORKFLOW_SIGNALS_ENTRY = "functions/streams/workflow-signals.ts";
export const NOTIFICATIONS_ENTRY = "functions/streams/notifications.ts";
/** The notifications consumer's name: its failed batches are the local failed-mail list. */
export const NOTIFICATIONS_CONSUMER = "notifications";

export const STREAM_CONSUMERS: readonly StreamConsumerSpec[] = [
  { name: "search-indexer-letters", table: "letters", entry: SEARCH_INDEXER_ENTRY, batchSize: 100 },
  { name: "search-indexer-files", table: "files", entry: SEARCH_INDEXER_ENTRY, batchSize: 100 },
  // Letter actions the API could not signal to the workflow (engine down or slow) reach it from here.
  { name: "workflow-signals", table: "letters", entry: WORKFLOW_SIGNALS_ENTRY, batchSize: 100 },
  // History events of letters become emails; small batches, since each record may send a mail.
  { name: NOTIFICATIONS_CONSUMER, table: "letters", entry: NOTIFICATIONS_ENTRY, batchSize: 25 },
];
