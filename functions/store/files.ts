import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { nextAuditEntry, type AuditHead } from "../core/audit";
import { FILE_STATUSES, type FileStatus, type RegistryFile } from "../core/files";
import { CLASSIFICATIONS, type Classification } from "../core/records";
import type { AuditStore } from "./audit";
import { ReferenceCounters } from "./counters";
import { decodeCursor, encodeCursor, type Page } from "./cursor";
import { auditHeadOf, IdempotencyKeyTakenError, StaleRecordError, str, type Stored } from "./records";
import { TransactionFailedError, transactWrite, type TaggedItem } from "./transact";

/**
 * Files table access. Key formats (owned here):
 * - file:     pk `AGENCY#<agencyId>#FILE#<id>`  sk `FILE`
 *             gsi1 `AGENCY#<agencyId>#FILES` / `<status>#<reference>`                (files of the agency)
 *             gsi2 `AGENCY#<agencyId>#DEPT#<departmentId>#FILES` / `<status>#<reference>` (of a department)
 * - counter:  pk `AGENCY#<agencyId>#COUNTERS`  sk `FILE#<departmentCode>#<year>` (see `counters.ts`)
 * Every change is one transaction with its audit entry, conditional on the file's `version`.
 * The letters filed in a file are listed by the letters store (its folio index).
 */

const MAX_PAGE = 100;
const MAX_ATTEMPTS = 50;

export type StoredFile = Stored<RegistryFile>;

export class FileStore {
  readonly counters: ReferenceCounters;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
    private readonly audit: AuditStore,
  ) {
    this.counters = new ReferenceCounters(doc, table);
  }

  static filePk(agencyId: string, fileId: string): string {
    return `AGENCY#${agencyId}#FILE#${fileId}`;
  }

  async get(agencyId: string, fileId: string): Promise<StoredFile | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: FileStore.filePk(agencyId, fileId), sk: "FILE" }, ConsistentRead: true }),
    );
    return out.Item ? { record: toFile(out.Item), auditHead: auditHeadOf(out.Item) } : undefined;
  }

  /**
   * Opens a file numbered next in `series`: `build(n)` makes the file with running number `n`.
   * Retried when another writer took the number first. `extra` adds parts to the same transaction
   * (the idempotency claim); if one of those fails, `IdempotencyKeyTakenError`.
   */
  async open(options: {
    agencyId: string;
    series: string;
    actorId: string;
    build: (n: number) => RegistryFile;
    extra?: (file: RegistryFile) => TaggedItem[];
  }): Promise<RegistryFile> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const last = await this.counters.last(options.agencyId, options.series);
      const file = options.build(last + 1);
      const parts = [
        this.counters.take(options.agencyId, options.series, last),
        ...this.saveParts(null, file, options.actorId, "open"),
        ...(options.extra?.(file) ?? []),
      ];
      try {
        await transactWrite(this.doc, parts);
        return file;
      } catch (error) {
        if (!(error instanceof TransactionFailedError)) throw error;
        if (error.tags.includes("idempotency")) throw new IdempotencyKeyTakenError({ cause: error });
        if (!error.tags.includes("counter")) throw error;
      }
    }
    throw new StaleRecordError("file");
  }

  /** Writes a changed file (close, reopen) with its audit entry; `StaleRecordError` if it changed meanwhile. */
  async save(before: StoredFile, after: RegistryFile, actorId: string, action: string): Promise<RegistryFile> {
    try {
      await transactWrite(this.doc, this.saveParts(before, after, actorId, action));
      return after;
    } catch (error) {
      if (error instanceof TransactionFailedError && error.tags.includes("file")) throw new StaleRecordError("file");
      throw error;
    }
  }

  /**
   * The transaction parts that write `after` (conditional on the version of `before`, or on being
   * new) and append its audit entry. Used alone and inside a letter's registration (filing).
   */
  saveParts(before: StoredFile | null, after: RegistryFile, actorId: string, action: string): TaggedItem[] {
    const entry = nextAuditEntry(before?.auditHead ?? null, {
      agencyId: after.agencyId,
      entity: "file",
      entityId: after.id,
      at: after.updatedAt,
      actorId,
      action,
      before: before?.record ?? null,
      after,
    });
    const head: AuditHead = { seq: entry.seq, hash: entry.hash };
    const item = this.toItem(after, head);
    const put: TaggedItem = before
      ? {
          tag: "file",
          item: {
            Put: {
              TableName: this.table,
              Item: item,
              ConditionExpression: "#version = :version",
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":version": before.record.version },
            },
          },
        }
      : { tag: "file", item: { Put: { TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(pk)" } } };
    return [put, this.audit.append(entry, "fileAudit")];
  }

  /**
   * The agency's files by status and reference, optionally of one department and one status;
   * `visible` drops files the caller may not read (the page is refilled, so it stays full).
   */
  async list(
    agencyId: string,
    options: { status?: FileStatus; departmentId?: string; limit: number; cursor?: string; visible: (file: RegistryFile) => boolean },
  ): Promise<Page<RegistryFile>> {
    const index = options.departmentId ? "gsi2" : "gsi1";
    const partition = options.departmentId ? `AGENCY#${agencyId}#DEPT#${options.departmentId}#FILES` : `AGENCY#${agencyId}#FILES`;
    const statusPrefix = options.status ? `${options.status}#` : undefined;
    // A cursor of another status's list (or of the unfiltered one) is outside `begins_with`: a 400, not DynamoDB's 500.
    const startKey = decodeCursor(
      options.cursor,
      ["pk", "sk", `${index}pk`, `${index}sk`],
      { [`${index}pk`]: partition },
      statusPrefix ? { [`${index}sk`]: statusPrefix } : {},
    );
    const limit = Math.min(Math.max(1, options.limit), MAX_PAGE);
    const items: RegistryFile[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined = startKey;
    let lastKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: index,
          KeyConditionExpression: statusPrefix ? `${index}pk = :pk AND begins_with(${index}sk, :status)` : `${index}pk = :pk`,
          ExpressionAttributeValues: { ":pk": partition, ...(statusPrefix ? { ":status": statusPrefix } : {}) },
          Limit: limit - items.length,
          ExclusiveStartKey: exclusiveStartKey,
        }),
      );
      for (const item of out.Items ?? []) {
        const file = toFile(item);
        if (options.visible(file)) items.push(file);
      }
      lastKey = out.LastEvaluatedKey;
      exclusiveStartKey = lastKey;
    } while (lastKey && items.length < limit);
    return { items, nextCursor: encodeCursor(lastKey) };
  }

  private toItem(file: RegistryFile, head: AuditHead): Record<string, unknown> {
    const sortKey = `${file.status}#${file.reference}`;
    return {
      pk: FileStore.filePk(file.agencyId, file.id),
      sk: "FILE",
      type: "file",
      gsi1pk: `AGENCY#${file.agencyId}#FILES`,
      gsi1sk: sortKey,
      gsi2pk: `AGENCY#${file.agencyId}#DEPT#${file.departmentId}#FILES`,
      gsi2sk: sortKey,
      ...file,
      auditSeq: head.seq,
      auditHash: head.hash,
    };
  }
}

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return (values as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

export function toFile(item: Record<string, unknown>): RegistryFile {
  return {
    id: String(item.id),
    agencyId: String(item.agencyId),
    reference: String(item.reference),
    title: String(item.title),
    description: str(item.description),
    departmentId: String(item.departmentId),
    classification: oneOf<Classification>(CLASSIFICATIONS, item.classification, "CONFIDENTIAL"),
    status: oneOf<FileStatus>(FILE_STATUSES, item.status, "CLOSED"),
    folioCount: Number(item.folioCount ?? 0),
    openedBy: String(item.openedBy),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    closedAt: str(item.closedAt),
    version: Number(item.version),
  };
}
