import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Attachment } from "../core/attachments";
import { nextAuditEntry, type AuditEntry, type AuditHead } from "../core/audit";
import { fileLetter, type RegistryFile } from "../core/files";
import {
  DIRECTIONS,
  HISTORY_ACTIONS,
  LETTER_STATUSES,
  markOverdue,
  overdueBox,
  stateBox,
  urgencyKey,
  type Box,
  type Direction,
  type HistoryEvent,
  type Letter,
  type LetterStatus,
  type Minute,
  type Sender,
  type TransitionResult,
} from "../core/letters";
import { CLASSIFICATIONS, PRIORITIES, type Classification, type Priority } from "../core/records";
import type { AuditStore } from "./audit";
import { toAttachment } from "./attachments";
import { ReferenceCounters } from "./counters";
import { decodeCursor, encodeCursor, type Page } from "./cursor";
import type { FileStore, StoredFile } from "./files";
import { auditHeadOf, IdempotencyKeyTakenError, MissingReferenceError, StaleRecordError, str, type Stored } from "./records";
import type { StatsStore } from "./stats";
import { TransactionFailedError, transactWrite, type TaggedItem } from "./transact";

/**
 * Letters table access. Key formats (owned here; all items of a letter share its partition, so the
 * letter page is one Query):
 * - letter:       pk `AGENCY#<a>#LETTER#<id>`  sk `LETTER`
 *                 gsi1 `AGENCY#<a>#BOX#<userId>#<for-action|in-progress|awaiting-approval>` / urgency (state box)
 *                 gsi2 `AGENCY#<a>#BOX#<assigneeId>#overdue` / urgency (only while open and overdue)
 *                 gsi3 `AGENCY#<a>#FILE#<fileId>#FOLIOS` / `<folio, 6 digits>` (only when filed)
 * - history:      pk letter  sk `EVENT#<version, 6 digits>`
 * - minute:       pk letter  sk `MINUTE#<version, 6 digits>`
 * - attachment:   pk letter  sk `ATTACHMENT#<id>` (see `attachments.ts`)
 * - handled mark: pk letter  sk `HANDLED#<userId>`  gsi1 `AGENCY#<a>#BOX#<userId>#handled` / `<at>#<letterId>`
 * - workflow:     pk letter  sk `WORKFLOW` (the workflow's task token; issue 5)
 * - counter:      pk `AGENCY#<a>#COUNTERS`  sk `LETTER#<IN|OUT|INT>#<year>` (see `counters.ts`)
 * Urgency is `core/letters.urgencyKey` (priority, due date, id), so a box Query returns the most
 * urgent first. A change of a letter is one transaction: the letter (conditional on its version
 * and audit head), its history event, minute, handled mark, the Stats counters and the audit entry.
 */

const MAX_PAGE = 100;
const MAX_ATTEMPTS = 50;

export type StoredLetter = Stored<Letter>;

export interface LetterPage {
  letter: Letter;
  history: HistoryEvent[];
  minutes: Minute[];
  attachments: Attachment[];
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");

export class LetterStore {
  readonly counters: ReferenceCounters;

  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
    private readonly deps: { audit: AuditStore; stats: StatsStore; files: FileStore },
  ) {
    this.counters = new ReferenceCounters(doc, table);
  }

  static letterPk(agencyId: string, letterId: string): string {
    return `AGENCY#${agencyId}#LETTER#${letterId}`;
  }

  static boxPartition(agencyId: string, userId: string, box: Box): string {
    return `AGENCY#${agencyId}#BOX#${userId}#${box}`;
  }

  async get(agencyId: string, letterId: string): Promise<StoredLetter | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: LetterStore.letterPk(agencyId, letterId), sk: "LETTER" }, ConsistentRead: true }),
    );
    return out.Item ? { record: toLetter(out.Item), auditHead: auditHeadOf(out.Item) } : undefined;
  }

  /** The letter with its history, minutes and attachments, oldest first: one Query on its partition. */
  async page(agencyId: string, letterId: string): Promise<LetterPage | undefined> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": LetterStore.letterPk(agencyId, letterId) },
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    const letterItem = items.find((i) => i.sk === "LETTER");
    if (!letterItem) return undefined;
    const of = (prefix: string) => items.filter((i) => String(i.sk).startsWith(prefix));
    return {
      letter: toLetter(letterItem),
      history: of("EVENT#").map(toEvent),
      minutes: of("MINUTE#").map(toMinute),
      attachments: of("ATTACHMENT#")
        .map(toAttachment)
        .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
    };
  }

  /**
   * Registers a letter numbered next in `series`: `build(n, folio)` makes it (core `registerLetter`).
   * When `fileId` is given the letter takes the file's next folio in the same transaction, so a
   * closed file refuses it and two letters never share a folio. Retried when another writer took
   * the number or the folio first. `extra` adds parts (the idempotency claim).
   */
  async register(options: {
    agencyId: string;
    series: string;
    timezone: string;
    actorId: string;
    fileId?: string;
    build: (n: number, filing: { file: RegistryFile; folio: number } | null) => TransitionResult;
    extra?: (letter: Letter) => TaggedItem[];
  }): Promise<TransitionResult> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const last = await this.counters.last(options.agencyId, options.series);
      let filed: { before: StoredFile; after: RegistryFile; folio: number } | null = null;
      if (options.fileId) {
        const before = await this.deps.files.get(options.agencyId, options.fileId);
        if (!before) throw new MissingReferenceError("fileId", "No such file in your agency");
        const { file, folio } = fileLetter(before.record, new Date());
        filed = { before, after: file, folio };
      }
      const result = options.build(last + 1, filed ? { file: filed.before.record, folio: filed.folio } : null);
      if (filed) filed.after = { ...filed.after, updatedAt: result.letter.createdAt };
      const parts = [
        this.counters.take(options.agencyId, options.series, last),
        ...this.changeParts(null, result, options.actorId, options.timezone),
        ...(filed ? this.deps.files.saveParts(filed.before, filed.after, options.actorId, `file letter ${result.letter.reference}`) : []),
        ...(options.extra?.(result.letter) ?? []),
      ];
      try {
        await transactWrite(this.doc, parts);
        return result;
      } catch (error) {
        if (!(error instanceof TransactionFailedError)) throw error;
        if (error.tags.includes("idempotency")) throw new IdempotencyKeyTakenError({ cause: error });
        if (!error.tags.some((t) => t === "counter" || t === "file")) throw error;
      }
    }
    throw new StaleRecordError("letter");
  }

  /**
   * Applies a change decided by `decide` (core `transition`) to the current letter, as one
   * transaction. When the letter changed between read and write, it is read again and `decide`
   * runs again on it (it refuses with CONFLICT if the caller named a version that is gone).
   */
  async apply(
    agencyId: string,
    letterId: string,
    options: { actorId: string; timezone: string; decide: (current: Letter) => Promise<TransitionResult> | TransitionResult },
  ): Promise<{ before: Letter; result: TransitionResult } | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.get(agencyId, letterId);
      if (!stored) return undefined;
      const result = await options.decide(stored.record);
      try {
        await transactWrite(this.doc, this.changeParts(stored, result, options.actorId, options.timezone));
        return { before: stored.record, result };
      } catch (error) {
        if (!(error instanceof TransactionFailedError) || !error.tags.includes("letter")) throw error;
      }
    }
    throw new StaleRecordError("letter");
  }

  /**
   * The workflow timer's mark (issue 5): flags an open letter past its due date as overdue, with
   * its counters, in one transaction. Null when there was nothing to mark (closed, already
   * overdue, extended meanwhile) or no such letter.
   */
  async markOverdue(agencyId: string, letterId: string, options: { now: Date; timezone: string }): Promise<Letter | null> {
    const nothing = new Error("nothing to mark");
    try {
      const applied = await this.apply(agencyId, letterId, {
        actorId: "system",
        timezone: options.timezone,
        decide: (letter) => {
          const result = markOverdue(letter, options.now);
          if (!result) throw nothing;
          return result;
        },
      });
      return applied?.result.letter ?? null;
    } catch (error) {
      if (error === nothing) return null;
      throw error;
    }
  }

  /**
   * Records an event that leaves the letter as it is but belongs in its audit chain (attachments):
   * `parts(letter, entry)` returns the other parts of the transaction; the letter's audit head moves
   * on condition that it did not move meanwhile (retried otherwise).
   */
  async appendEvent(
    agencyId: string,
    letterId: string,
    options: {
      actorId: string;
      action: string;
      at: string;
      detail: (letter: Letter) => { before: unknown; after: unknown };
      parts: (letter: Letter) => TaggedItem[];
    },
  ): Promise<Letter | undefined> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.get(agencyId, letterId);
      if (!stored) return undefined;
      const detail = options.detail(stored.record);
      const entry = nextAuditEntry(stored.auditHead, {
        agencyId,
        entity: "letter",
        entityId: letterId,
        at: options.at,
        actorId: options.actorId,
        action: options.action,
        before: detail.before,
        after: detail.after,
      });
      const headUpdate: TaggedItem = {
        tag: "letter",
        item: {
          Update: {
            TableName: this.table,
            Key: { pk: LetterStore.letterPk(agencyId, letterId), sk: "LETTER" },
            UpdateExpression: "SET auditSeq = :seq, auditHash = :hash",
            ConditionExpression: stored.auditHead ? "auditSeq = :prev" : "attribute_not_exists(auditSeq)",
            ExpressionAttributeValues: { ":seq": entry.seq, ":hash": entry.hash, ...(stored.auditHead ? { ":prev": stored.auditHead.seq } : {}) },
          },
        },
      };
      try {
        await transactWrite(this.doc, [headUpdate, this.deps.audit.append(entry), ...options.parts(stored.record)]);
        return stored.record;
      } catch (error) {
        if (!(error instanceof TransactionFailedError) || !error.tags.includes("letter")) throw error;
      }
    }
    throw new StaleRecordError("letter");
  }

  /** The transaction parts of a letter change: letter, event, minute, handled mark, counters, audit. */
  private changeParts(before: StoredLetter | null, result: TransitionResult, actorId: string, timezone: string): TaggedItem[] {
    const { letter, event } = result;
    const entry: AuditEntry = nextAuditEntry(before?.auditHead ?? null, {
      agencyId: letter.agencyId,
      entity: "letter",
      entityId: letter.id,
      at: event.at,
      actorId,
      action: event.action,
      before: before?.record ?? null,
      after: { letter, event, ...(result.minute ? { minute: result.minute } : {}) },
    });
    const pk = LetterStore.letterPk(letter.agencyId, letter.id);
    const item = this.toItem(letter, { seq: entry.seq, hash: entry.hash });
    const parts: TaggedItem[] = [
      before
        ? {
            tag: "letter",
            item: {
              Put: {
                TableName: this.table,
                Item: item,
                ConditionExpression: before.auditHead ? "#version = :version AND auditSeq = :seq" : "#version = :version AND attribute_not_exists(auditSeq)",
                ExpressionAttributeNames: { "#version": "version" },
                ExpressionAttributeValues: { ":version": before.record.version, ...(before.auditHead ? { ":seq": before.auditHead.seq } : {}) },
              },
            },
          }
        : { tag: "letter", item: { Put: { TableName: this.table, Item: item, ConditionExpression: "attribute_not_exists(pk)" } } },
      {
        tag: "event",
        item: {
          Put: {
            TableName: this.table,
            Item: { pk, sk: `EVENT#${pad(event.version, 6)}`, type: "event", letterId: letter.id, ...event },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      },
    ];
    if (result.minute) {
      parts.push({
        tag: "minute",
        item: {
          Put: {
            TableName: this.table,
            Item: { pk, sk: `MINUTE#${pad(result.minute.version, 6)}`, type: "minute", letterId: letter.id, ...result.minute },
            ConditionExpression: "attribute_not_exists(pk)",
          },
        },
      });
    }
    if (result.handledBy) {
      parts.push({
        tag: "handled",
        item: {
          Put: {
            TableName: this.table,
            Item: {
              pk,
              sk: `HANDLED#${result.handledBy}`,
              type: "handled",
              letterId: letter.id,
              userId: result.handledBy,
              at: event.at,
              gsi1pk: LetterStore.boxPartition(letter.agencyId, result.handledBy, "handled"),
              gsi1sk: `${event.at}#${letter.id}`,
            },
          },
        },
      });
    }
    parts.push(...this.deps.stats.updates(letter.agencyId, result.deltas, timezone), this.deps.audit.append(entry));
    return parts;
  }

  /** One page of a user's box, most urgent first (handled: most recently handled first). */
  async box(agencyId: string, userId: string, box: Box, options: { limit: number; cursor?: string }): Promise<Page<Letter>> {
    const index = box === "overdue" ? "gsi2" : "gsi1";
    const partition = LetterStore.boxPartition(agencyId, userId, box);
    const startKey = decodeCursor(options.cursor, ["pk", "sk", `${index}pk`, `${index}sk`], { [`${index}pk`]: partition });
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        IndexName: index,
        KeyConditionExpression: `${index}pk = :pk`,
        ExpressionAttributeValues: { ":pk": partition },
        ScanIndexForward: box !== "handled",
        Limit: Math.min(Math.max(1, options.limit), MAX_PAGE),
        ExclusiveStartKey: startKey,
      }),
    );
    const found = out.Items ?? [];
    const items = box === "handled" ? await this.getMany(agencyId, found.map((i) => String(i.letterId))) : found.map(toLetter);
    return { items, nextCursor: encodeCursor(out.LastEvaluatedKey) };
  }

  /** Letters by id, in the order asked (missing ones left out). */
  async getMany(agencyId: string, letterIds: string[]): Promise<Letter[]> {
    const byId = new Map<string, Letter>();
    for (let i = 0; i < letterIds.length; i += 100) {
      let keys: Record<string, unknown>[] = letterIds.slice(i, i + 100).map((id) => ({ pk: LetterStore.letterPk(agencyId, id), sk: "LETTER" }));
      for (let round = 0; keys.length > 0 && round < 10; round++) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of out.Responses?.[this.table] ?? []) {
          const letter = toLetter(item);
          byId.set(letter.id, letter);
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
    return letterIds.flatMap((id) => {
      const letter = byId.get(id);
      return letter ? [letter] : [];
    });
  }

  /** The letters filed in a file, by folio. */
  async folios(agencyId: string, fileId: string): Promise<Letter[]> {
    const letters: Letter[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: "gsi3",
          KeyConditionExpression: "gsi3pk = :pk",
          ExpressionAttributeValues: { ":pk": `AGENCY#${agencyId}#FILE#${fileId}#FOLIOS` },
          ExclusiveStartKey: startKey,
        }),
      );
      letters.push(...(out.Items ?? []).map(toLetter));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return letters;
  }

  private toItem(letter: Letter, head: AuditHead): Record<string, unknown> {
    const item: Record<string, unknown> = {
      pk: LetterStore.letterPk(letter.agencyId, letter.id),
      sk: "LETTER",
      type: "letter",
      ...letter,
      auditSeq: head.seq,
      auditHash: head.hash,
    };
    const state = stateBox(letter);
    if (state) {
      item.gsi1pk = LetterStore.boxPartition(letter.agencyId, state.userId, state.box);
      item.gsi1sk = urgencyKey(letter);
    }
    const overdueOf = overdueBox(letter);
    if (overdueOf) {
      item.gsi2pk = LetterStore.boxPartition(letter.agencyId, overdueOf, "overdue");
      item.gsi2sk = urgencyKey(letter);
    }
    if (letter.fileId && letter.folio !== null) {
      item.gsi3pk = `AGENCY#${letter.agencyId}#FILE#${letter.fileId}#FOLIOS`;
      item.gsi3sk = pad(letter.folio, 6);
    }
    return item;
  }
}

function oneOf<T extends string>(values: readonly T[], value: unknown, fallback: T): T {
  return (values as readonly unknown[]).includes(value) ? (value as T) : fallback;
}

function toSender(value: unknown): Sender | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const sender: Sender = { name: String(v.name ?? "") };
  if (typeof v.organisation === "string") sender.organisation = v.organisation;
  if (typeof v.reference === "string") sender.reference = v.reference;
  if (typeof v.date === "string") sender.date = v.date;
  return sender;
}

export function toLetter(item: Record<string, unknown>): Letter {
  return {
    id: String(item.id),
    agencyId: String(item.agencyId),
    reference: String(item.reference),
    direction: oneOf<Direction>(DIRECTIONS, item.direction, "INCOMING"),
    subject: String(item.subject),
    summary: str(item.summary),
    sender: toSender(item.sender),
    classification: oneOf<Classification>(CLASSIFICATIONS, item.classification, "CONFIDENTIAL"),
    priority: oneOf<Priority>(PRIORITIES, item.priority, "NORMAL"),
    status: oneOf<LetterStatus>(LETTER_STATUSES, item.status, "FOR_ACTION"),
    assigneeId: String(item.assigneeId),
    approverId: str(item.approverId),
    departmentId: str(item.departmentId),
    fileId: str(item.fileId),
    folio: typeof item.folio === "number" ? item.folio : null,
    dueAt: String(item.dueAt),
    overdue: item.overdue === true,
    requiresApproval: item.requiresApproval === true,
    chain: Array.isArray(item.chain) ? item.chain.map(String) : [],
    registeredBy: String(item.registeredBy),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    closedAt: str(item.closedAt),
    version: Number(item.version),
    ...(typeof item.heldSince === "string" ? { heldSince: item.heldSince } : {}),
  };
}

export function toEvent(item: Record<string, unknown>): HistoryEvent {
  const event: HistoryEvent = {
    version: Number(item.version),
    at: String(item.at),
    actorId: String(item.actorId),
    action: oneOf<HistoryEvent["action"]>(HISTORY_ACTIONS, item.action, "minute"),
    fromStatus: item.fromStatus == null ? null : oneOf<LetterStatus>(LETTER_STATUSES, item.fromStatus, "FOR_ACTION"),
    toStatus: oneOf<LetterStatus>(LETTER_STATUSES, item.toStatus, "FOR_ACTION"),
    assigneeId: String(item.assigneeId),
  };
  for (const key of ["previousAssigneeId", "reason", "note", "dueAt", "supervisorId"] as const) {
    if (typeof item[key] === "string") event[key] = item[key];
  }
  return event;
}

function toMinute(item: Record<string, unknown>): Minute {
  return { version: Number(item.version), at: String(item.at), authorId: String(item.authorId), text: String(item.text) };
}
