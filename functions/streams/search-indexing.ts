import { ScanCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import { logger } from "../platform/logger";
import { SearchIndexStore, SearchSources, forEachLimit, type DocumentRef, type IndexOutcome } from "../store/search-index";

/**
 * Keeps the search index in step with the Letters and Files tables (DESIGN.md section 3). Each
 * stream record only says *which* letter or file changed; the indexer reads that record's current
 * state from its table (the letter with its minutes, or the file) and makes the index match it.
 * So a record delivered twice, late, or out of order does no harm, updates drop stale postings,
 * and deletes remove the document.
 *
 * Failures are reported per batch position (partial batch response): the event source mapping
 * retries from the first record of the first document that failed; documents already indexed are
 * indexed again at no cost (`unchanged`).
 */

export interface SearchIndexerDeps {
  index: Pick<SearchIndexStore, "save">;
  sources: Pick<SearchSources, "load">;
  /** Documents indexed at once. */
  concurrency?: number;
}

const SOURCE_PK = /^AGENCY#([^#]+)#(LETTER|FILE)#([^#]+)$/;

/** The letter or file a stream record is about, or null for items the index ignores (history, counters, ...). */
export function documentOf(record: DynamoDBRecord): DocumentRef | null {
  const pk = record.dynamodb?.Keys?.pk?.S;
  const sk = record.dynamodb?.Keys?.sk?.S;
  if (!pk || !sk) return null;
  const match = SOURCE_PK.exec(pk);
  if (!match) return null;
  const [, agencyId = "", type, id = ""] = match;
  if (type === "LETTER" && (sk === "LETTER" || sk.startsWith("MINUTE#"))) return { agencyId, kind: "letter", id };
  if (type === "FILE" && sk === "FILE") return { agencyId, kind: "file", id };
  return null;
}

/** Indexes one letter or file from its table as it is now. */
export async function indexDocument(deps: Pick<SearchIndexerDeps, "index" | "sources">, ref: DocumentRef): Promise<IndexOutcome> {
  const current = await deps.sources.load(ref);
  return deps.index.save(ref, current);
}

export function createSearchIndexer(deps: SearchIndexerDeps) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const touched = new Map<string, { ref: DocumentRef; first: number }>();
    event.Records.forEach((record, position) => {
      const ref = documentOf(record);
      if (!ref) return;
      const key = `${ref.agencyId}#${ref.kind}#${ref.id}`;
      if (!touched.has(key)) touched.set(key, { ref, first: position });
    });
    const failedAt: number[] = [];
    await forEachLimit([...touched.values()], deps.concurrency ?? 8, async ({ ref, first }) => {
      try {
        await indexDocument(deps, ref);
      } catch (error) {
        failedAt.push(first);
        logger.warn("document not indexed; the batch is retried from it", {
          agencyId: ref.agencyId,
          kind: ref.kind,
          documentId: ref.id,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
    });
    if (failedAt.length === 0) return { batchItemFailures: [] };
    const record = event.Records[Math.min(...failedAt)];
    return { batchItemFailures: [{ itemIdentifier: record?.dynamodb?.SequenceNumber ?? "" }] };
  };
}

/** What `reindexAll` did. */
export interface ReindexReport {
  letters: number;
  files: number;
  outcomes: Record<IndexOutcome, number>;
  cleared: number;
}

/**
 * Rebuilds the search index from the Letters and Files tables (`npm run reindex`). An admin
 * maintenance command: it Scans, which no request path does. With `clear`, every item of the
 * SearchIndex table is deleted first (after a change of the key scheme); otherwise each document
 * is brought up to date like the stream consumer does, so it may run while the system is in use.
 */
export async function reindexAll(options: {
  doc: DynamoDBDocumentClient;
  tables: { letters: string; files: string; search: string };
  clear?: boolean;
  concurrency?: number;
  onProgress?: (done: number) => void;
}): Promise<ReindexReport> {
  const { doc, tables } = options;
  const deps = { index: new SearchIndexStore(doc, tables.search), sources: new SearchSources(doc, tables) };
  const report: ReindexReport = { letters: 0, files: 0, outcomes: { indexed: 0, removed: 0, unchanged: 0, stale: 0 }, cleared: 0 };
  if (options.clear) report.cleared = await clearTable(doc, tables.search);
  let done = 0;
  for (const [table, sk, kind] of [
    [tables.letters, "LETTER", "letter"],
    [tables.files, "FILE", "file"],
  ] as const) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await doc.send(
        new ScanCommand({
          TableName: table,
          FilterExpression: "sk = :sk",
          ExpressionAttributeValues: { ":sk": sk },
          ProjectionExpression: "pk",
          ExclusiveStartKey: startKey,
        }),
      );
      const refs = (out.Items ?? []).flatMap((item) => {
        const ref = documentOf({ dynamodb: { Keys: { pk: { S: String(item.pk) }, sk: { S: sk } } } });
        return ref && ref.kind === kind ? [ref] : [];
      });
      await forEachLimit(refs, options.concurrency ?? 8, async (ref) => {
        report.outcomes[await indexDocument(deps, ref)] += 1;
        if (kind === "letter") report.letters += 1;
        else report.files += 1;
        done += 1;
        if (done % 500 === 0) options.onProgress?.(done);
      });
      startKey = out.LastEvaluatedKey;
    } while (startKey);
  }
  return report;
}

async function clearTable(doc: DynamoDBDocumentClient, table: string): Promise<number> {
  const index = new SearchIndexStore(doc, table);
  let cleared = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(new ScanCommand({ TableName: table, ProjectionExpression: "pk, sk", ExclusiveStartKey: startKey }));
    const keys = (out.Items ?? []).map((item) => ({ pk: String(item.pk), sk: String(item.sk) }));
    await index.deleteItems(keys);
    cleared += keys.length;
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return cleared;
}
