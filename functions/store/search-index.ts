import { createHash } from "node:crypto";
import {
  BatchGetCommand,
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  type DynamoDBDocumentClient,
} from "@aws-sdk/lib-dynamodb";
import type { Actor } from "../core/letters";
import { CLASSIFICATIONS, type Classification } from "../core/records";
import {
  SEARCH_KINDS,
  SEARCH_STATUSES,
  canReadDocument,
  chooseDriver,
  documentKeys,
  fileDocument,
  kindsFor,
  letterDocument,
  matchesFilters,
  matchesQuery,
  parsePostingSortKey,
  postingSortKey,
  toHit,
  type ListProbe,
  type SearchDocument,
  type SearchFilters,
  type SearchHit,
  type SearchKind,
  type SearchQuery,
  type SearchStatus,
} from "../core/search";
import { InvalidCursorError } from "./errors";
import { FileStore, toFile } from "./files";
import { LetterStore, toLetter } from "./letters";
import { str } from "./records";

/**
 * SearchIndex table access (see `core/search.ts` for the idea). Key formats, owned here:
 * - document: pk `AGENCY#<a>#DOC#<kind>#<id>`  sk `DOC` — status, read-rule fields, terms, version
 * - posting:  pk `AGENCY#<a>#KEY#<kind>#<p:prefix|t:term>`  sk `<date>#<kind>#<id>` — nothing else
 * - reference: pk `AGENCY#<a>#REF#<canonical reference>`  sk `<kind>#<id>`
 * Postings never change after a document is registered (its date, kind, id and text are fixed;
 * minutes only add terms), so a transition rewrites one document item, not hundreds of postings.
 *
 * Query cost (DESIGN.md section 3: every read a Query or BatchGetItem on a key, no Scan): one small
 * first page of each query term's list, to pick the sparsest (`chooseDriver`); then that list is
 * read newest first, page by page, and the candidates' document items fetched in batches, until
 * the page is full. A request examines at most `MAX_EXAMINED` candidates: when the caller may read
 * little of what matches, the answer holds what was found so far and a cursor to go on from there,
 * rather than a walk through the whole list.
 */

export const MAX_EXAMINED = 500;
const MAX_BATCH_GET = 100;
const MAX_BATCH_WRITE = 25;
const CURSOR_VERSION = 1;

export interface DocumentRef {
  agencyId: string;
  kind: SearchKind;
  id: string;
}

/** What one search read, for the benchmark and the logs. */
export interface SearchCost {
  queries: number;
  postingsRead: number;
  documentsRead: number;
}

export interface SearchRequest {
  agencyId: string;
  actor: Actor;
  query: SearchQuery;
  filters: SearchFilters;
  limit: number;
  cursor?: string;
}

export interface SearchResult {
  items: SearchHit[];
  nextCursor: string | null;
  cost: SearchCost;
}

export type IndexOutcome = "indexed" | "removed" | "unchanged" | "stale";

interface Posting {
  pk: string;
  sk: string;
}

interface ListRead {
  kind: SearchKind;
  sortKeys: string[];
  /** The list may hold more below the last entry read. */
  more: boolean;
}

interface Cursor {
  v: number;
  /** Hash of the query and filters the cursor belongs to. */
  h: string;
  /** Sort key of the last entry examined: the next page starts below it. */
  p: string;
  /** The posting list being walked. */
  d: string;
  /** Documents shown first as whole-reference matches, left out of the walk. */
  x: string[];
}

const oneOf = <T extends string>(values: readonly T[], value: unknown, fallback: T): T =>
  (values as readonly unknown[]).includes(value) ? (value as T) : fallback;

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : []);

function toDocument(item: Record<string, unknown>): SearchDocument {
  return {
    kind: oneOf(SEARCH_KINDS, item.kind, "letter"),
    id: String(item.id),
    agencyId: String(item.agencyId),
    reference: String(item.reference),
    title: String(item.title),
    date: String(item.date),
    status: oneOf<SearchStatus>(SEARCH_STATUSES, item.status, "CLOSED"),
    overdue: item.overdue === true,
    classification: oneOf<Classification>(CLASSIFICATIONS, item.classification, "CONFIDENTIAL"),
    departmentId: str(item.departmentId),
    chain: strings(item.chain),
    assigneeId: str(item.assigneeId),
    approverId: str(item.approverId),
    terms: strings(item.terms),
    references: strings(item.references),
    version: Number(item.version ?? 0),
  };
}

function sameDocument(a: SearchDocument, b: SearchDocument): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const refKey = (kind: SearchKind, id: string) => `${kind}#${id}`;

export class SearchIndexStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
  ) {}

  static documentPk(agencyId: string, kind: SearchKind, id: string): string {
    return `AGENCY#${agencyId}#DOC#${kind}#${id}`;
  }

  static listPk(agencyId: string, kind: SearchKind, key: string): string {
    return `AGENCY#${agencyId}#KEY#${kind}#${key}`;
  }

  static referencePk(agencyId: string, reference: string): string {
    return `AGENCY#${agencyId}#REF#${reference}`;
  }

  /** Every index item of a document: its postings and its reference entries (not the document item). */
  static postingsOf(doc: SearchDocument): Posting[] {
    const sk = postingSortKey(doc);
    return [
      ...documentKeys(doc).map((key) => ({ pk: SearchIndexStore.listPk(doc.agencyId, doc.kind, key), sk })),
      ...doc.references.map((ref) => ({ pk: SearchIndexStore.referencePk(doc.agencyId, ref), sk: refKey(doc.kind, doc.id) })),
    ];
  }

  /** Items a document takes in the index: its document item, postings and reference entries. */
  static itemCount(doc: SearchDocument): number {
    return 1 + SearchIndexStore.postingsOf(doc).length;
  }

  async getDocument(ref: DocumentRef): Promise<SearchDocument | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: SearchIndexStore.documentPk(ref.agencyId, ref.kind, ref.id), sk: "DOC" }, ConsistentRead: true }),
    );
    return out.Item ? toDocument(out.Item) : undefined;
  }

  /** Document items by kind and id (`<kind>#<id>` keys in the map); missing ones left out. */
  async getDocuments(agencyId: string, refs: readonly { kind: SearchKind; id: string }[]): Promise<Map<string, SearchDocument>> {
    const found = new Map<string, SearchDocument>();
    const unique = [...new Map(refs.map((r) => [refKey(r.kind, r.id), r])).values()];
    for (let i = 0; i < unique.length; i += MAX_BATCH_GET) {
      let keys: Record<string, unknown>[] = unique
        .slice(i, i + MAX_BATCH_GET)
        .map((r) => ({ pk: SearchIndexStore.documentPk(agencyId, r.kind, r.id), sk: "DOC" }));
      for (let round = 0; keys.length > 0 && round < 10; round++) {
        if (round > 0) await pause(round);
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys } } }));
        for (const item of out.Responses?.[this.table] ?? []) {
          const document = toDocument(item);
          found.set(refKey(document.kind, document.id), document);
        }
        keys = out.UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
      if (keys.length > 0) throw new Error("The search index did not answer every document read");
    }
    return found;
  }

  /**
   * Makes the index hold `next` for a document (null: the document is gone). Idempotent, and safe
   * to repeat after a failure at any step: stale postings go first, new ones next, the document
   * item last, so a repeat computes the same difference again. A document item of a newer version
   * is never replaced by an older one.
   */
  async save(ref: DocumentRef, next: SearchDocument | null): Promise<IndexOutcome> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.getDocument(ref);
      if (!next && !current) return "unchanged";
      if (next && current) {
        if (current.version > next.version) return "stale";
        if (sameDocument(current, next)) return "unchanged";
      }
      const before = current ? SearchIndexStore.postingsOf(current) : [];
      const after = next ? SearchIndexStore.postingsOf(next) : [];
      const id = (p: Posting) => `${p.pk}\u0000${p.sk}`;
      const keep = new Set(after.map(id));
      const had = new Set(before.map(id));
      const removed = before.filter((p) => !keep.has(id(p)));
      const added = after.filter((p) => !had.has(id(p)));
      await this.writeBatches(removed.map((p) => ({ DeleteRequest: { Key: p } })));
      await this.writeBatches(added.map((p) => ({ PutRequest: { Item: p } })));
      const pk = SearchIndexStore.documentPk(ref.agencyId, ref.kind, ref.id);
      try {
        if (next) {
          await this.doc.send(
            new PutCommand({
              TableName: this.table,
              Item: { pk, sk: "DOC", type: "searchDocument", ...next },
              ConditionExpression: "attribute_not_exists(pk) OR #version <= :version",
              ExpressionAttributeNames: { "#version": "version" },
              ExpressionAttributeValues: { ":version": next.version },
            }),
          );
          return "indexed";
        }
        await this.doc.send(
          new DeleteCommand({
            TableName: this.table,
            Key: { pk, sk: "DOC" },
            ConditionExpression: "#version = :version",
            ExpressionAttributeNames: { "#version": "version" },
            ExpressionAttributeValues: { ":version": current?.version ?? 0 },
          }),
        );
        return "removed";
      } catch (error) {
        if (!(error instanceof Error) || error.name !== "ConditionalCheckFailedException") throw error;
        // A newer version was indexed meanwhile (a reindex racing the stream): make sure its
        // postings are all there (this run may have removed some), drop what only this run added.
        const winner = await this.getDocument(ref);
        const wanted = winner ? SearchIndexStore.postingsOf(winner) : [];
        const wantedIds = new Set(wanted.map(id));
        await this.writeBatches(wanted.map((p) => ({ PutRequest: { Item: p } })));
        await this.writeBatches(added.filter((p) => !wantedIds.has(id(p))).map((p) => ({ DeleteRequest: { Key: p } })));
        if (winner) return "stale";
      }
    }
    throw new Error(`Document ${ref.kind} ${ref.id} kept changing while it was indexed`);
  }

  /**
   * Writes documents straight into the index (no stream, no diff), for the benchmark's seeding:
   * each document item and its postings, or only the postings whose partition `keep` accepts.
   * Returns the number of items written.
   */
  async putDocumentsUnchecked(docs: readonly SearchDocument[], keep: (pk: string) => boolean = () => true): Promise<number> {
    const requests = docs.flatMap((d) => [
      { PutRequest: { Item: { pk: SearchIndexStore.documentPk(d.agencyId, d.kind, d.id), sk: "DOC", type: "searchDocument", ...d } } },
      ...SearchIndexStore.postingsOf(d)
        .filter((p) => keep(p.pk))
        .map((p) => ({ PutRequest: { Item: p } })),
    ]);
    await this.writeBatches(requests);
    return requests.length;
  }

  /** Deletes index items by key (the reindex command's clearing). */
  async deleteItems(keys: readonly Posting[]): Promise<void> {
    await this.writeBatches(keys.map((key) => ({ DeleteRequest: { Key: key } })));
  }

  private async writeBatches(requests: Record<string, unknown>[]): Promise<void> {
    const chunks: Record<string, unknown>[][] = [];
    for (let i = 0; i < requests.length; i += MAX_BATCH_WRITE) chunks.push(requests.slice(i, i + MAX_BATCH_WRITE));
    // A few batches at a time: a letter has a hundred or so postings.
    await forEachLimit(chunks, 4, async (chunk) => {
      let pending = chunk;
      for (let round = 0; pending.length > 0; round++) {
        if (round >= 10) throw new Error("The search index did not accept every write");
        if (round > 0) await pause(round);
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending } }));
        pending = (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    });
  }

  /** Entries of one posting list with `lower <= sk < upper`, newest first. */
  private async readList(
    agencyId: string,
    kind: SearchKind,
    key: string,
    range: { lower: string; upper: string },
    limit: number,
    cost: SearchCost,
  ): Promise<ListRead> {
    cost.queries += 1;
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :pk AND sk BETWEEN :lower AND :upper",
        ExpressionAttributeValues: { ":pk": SearchIndexStore.listPk(agencyId, kind, key), ":lower": range.lower, ":upper": range.upper },
        ProjectionExpression: "sk",
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const sortKeys = (out.Items ?? []).map((i) => String(i.sk)).filter((sk) => sk < range.upper);
    cost.postingsRead += out.Items?.length ?? 0;
    return { kind, sortKeys, more: out.LastEvaluatedKey !== undefined };
  }

  /**
   * One page of results, newest first; whole-reference matches first on the first page. See the
   * module comment for what a request reads.
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    const { agencyId, actor, query, filters } = request;
    const limit = Math.min(Math.max(1, request.limit), 100);
    const cost: SearchCost = { queries: 0, postingsRead: 0, documentsRead: 0 };
    const hash = createHash("sha256")
      .update(JSON.stringify([query, filters.kind ?? "", filters.status ?? "", filters.from ?? "", filters.to ?? ""]))
      .digest("base64url")
      .slice(0, 16);
    const cursor = decodeSearchCursor(request.cursor, hash, query.keys);
    // Sort keys start with an ISO date; DynamoDB refuses an empty bound.
    const lower = filters.from ?? "0";
    // A cursor's position is an entry at or above `from`, or "~"; anything lower was tampered with.
    if (cursor && cursor.p < lower) throw new InvalidCursorError();
    const kinds = kindsFor(filters);
    const readable = (doc: SearchDocument) => matchesFilters(doc, filters) && canReadDocument(actor, doc);
    const hits: SearchDocument[] = [];
    const excluded = new Set(cursor?.x ?? []);

    if (!cursor && query.reference) {
      cost.queries += 1;
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: "pk = :pk",
          ExpressionAttributeValues: { ":pk": SearchIndexStore.referencePk(agencyId, query.reference) },
          Limit: 20,
        }),
      );
      const refs = (out.Items ?? []).flatMap((item) => {
        const [kind, id] = String(item.sk).split("#");
        return kind === "letter" || kind === "file" ? [{ kind: kind as SearchKind, id: id ?? "" }] : [];
      });
      const docs = await this.getDocuments(agencyId, refs);
      cost.documentsRead += docs.size;
      const found = [...docs.values()].filter(readable).sort((a, b) => (postingSortKey(a) < postingSortKey(b) ? 1 : -1));
      for (const doc of found.slice(0, limit)) {
        hits.push(doc);
        excluded.add(refKey(doc.kind, doc.id));
      }
    }

    const done = (nextCursor: string | null): SearchResult => ({ items: hits.map(toHit), nextCursor, cost });
    if (query.keys.length === 0 || kinds.length === 0 || hits.length >= limit) {
      return done(hits.length >= limit && query.keys.length > 0 && kinds.length > 0 ? encodeSearchCursor(hash, "~", query.keys[0] ?? "", excluded) : null);
    }

    let upper = cursor?.p ?? filters.to ?? "~";
    // BETWEEN refuses lower > upper (a ValidationException, a 500). The route refuses `from` after
    // `to`; should any other caller pass such filters, the range simply holds nothing.
    if (lower > upper) return done(null);
    const chunkFor = (n: number) => Math.min(MAX_BATCH_GET, Math.max(25, n));
    // A little more than a page: most callers may read most of what matches.
    let chunk = chunkFor(Math.ceil(limit * 1.5));
    let driver = cursor?.d;
    let reads: ListRead[] | undefined;
    if (!driver) {
      // Read the top of every term's list; the sparsest becomes the walk, its entries the first candidates.
      const probes = await Promise.all(
        query.keys.map(async (key) => ({
          key,
          reads: await Promise.all(kinds.map((kind) => this.readList(agencyId, kind, key, { lower, upper }, chunk, cost))),
        })),
      );
      driver = chooseDriver(probes.map(({ key, reads: r }): ListProbe => probeOf(key, r))) ?? query.keys[0] ?? "";
      reads = probes.find((p) => p.key === driver)?.reads;
    }

    let examined = 0;
    let open = new Set<SearchKind>(kinds);
    for (;;) {
      const round = reads ?? (await Promise.all([...open].map((kind) => this.readList(agencyId, kind, driver, { lower, upper }, chunk, cost))));
      reads = undefined;
      // Entries at or above the boundary are in final order: no list still open can hold a newer one.
      const boundary = round.filter((r) => r.more && r.sortKeys.length > 0).reduce((max, r) => {
        const last = r.sortKeys.at(-1) ?? "";
        return last > max ? last : max;
      }, "");
      const candidates = round
        .flatMap((r) => r.sortKeys)
        .filter((sk) => sk >= boundary)
        .sort()
        .reverse();
      open = new Set(round.filter((r) => r.more || r.sortKeys.some((sk) => sk < boundary)).map((r) => r.kind));
      const parsed = candidates.flatMap((sk) => {
        const p = parsePostingSortKey(sk);
        return p && !excluded.has(refKey(p.kind, p.id)) ? [{ sk, ...p }] : [];
      });
      const docs = await this.getDocuments(agencyId, parsed);
      cost.documentsRead += docs.size;
      for (const candidate of parsed) {
        const doc = docs.get(refKey(candidate.kind, candidate.id));
        if (doc && matchesQuery(doc, query) && readable(doc)) {
          hits.push(doc);
          if (hits.length >= limit) {
            const last = candidate === parsed.at(-1) && open.size === 0;
            return done(last ? null : encodeSearchCursor(hash, candidate.sk, driver, excluded));
          }
        }
      }
      examined += candidates.length;
      const oldest = candidates.at(-1);
      if (oldest !== undefined) upper = oldest;
      if (open.size === 0) return done(null);
      if (examined >= MAX_EXAMINED) return done(encodeSearchCursor(hash, upper, driver, excluded));
      // Read about as many as the hit rate so far says the rest of the page needs; double when nothing matched yet.
      chunk = hits.length > 0 ? chunkFor(Math.ceil(((limit - hits.length) * examined) / hits.length * 1.25) + 5) : chunkFor(chunk * 2);
    }
  }
}

function probeOf(key: string, reads: ListRead[]): ListProbe {
  const read = reads.reduce((n, r) => n + r.sortKeys.length, 0);
  const open = reads.filter((r) => r.more);
  if (open.length === 0) return { key, read, reach: null };
  // The walk goes as deep as the shallowest open list reaches before it must read on.
  const reach = open.reduce((max, r) => {
    const last = r.sortKeys.at(-1) ?? "~";
    return last > max ? last : max;
  }, "");
  return { key, read, reach };
}

export function encodeSearchCursor(hash: string, position: string, driver: string, excluded: Set<string>): string {
  const cursor: Cursor = { v: CURSOR_VERSION, h: hash, p: position, d: driver, x: [...excluded] };
  return Buffer.from(JSON.stringify(cursor), "utf8").toString("base64url");
}

/** A cursor of this very query (and filters); anything else is `InvalidCursorError` (400). */
function decodeSearchCursor(raw: string | undefined, hash: string, keys: readonly string[]): Cursor | undefined {
  if (raw === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== "object" || value === null) throw new InvalidCursorError();
  const c = value as Partial<Cursor>;
  if (c.v !== CURSOR_VERSION || c.h !== hash || typeof c.p !== "string" || typeof c.d !== "string" || !Array.isArray(c.x)) {
    throw new InvalidCursorError();
  }
  if (!keys.includes(c.d) || c.p.length > 300 || c.x.length > 100 || !c.x.every((x) => typeof x === "string")) throw new InvalidCursorError();
  return { v: c.v, h: c.h, p: c.p, d: c.d, x: c.x };
}

/**
 * Reads what the index keeps of a letter or file from its own table (Letters, Files), by key:
 * the letter with its minutes, or the file. Null when it is gone.
 */
export class SearchSources {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables: { letters: string; files: string },
  ) {}

  async load(ref: DocumentRef): Promise<SearchDocument | null> {
    return ref.kind === "letter" ? this.letter(ref.agencyId, ref.id) : this.file(ref.agencyId, ref.id);
  }

  private async letter(agencyId: string, id: string): Promise<SearchDocument | null> {
    const pk = LetterStore.letterPk(agencyId, id);
    const [item, minutes] = await Promise.all([
      this.doc.send(new GetCommand({ TableName: this.tables.letters, Key: { pk, sk: "LETTER" }, ConsistentRead: true })),
      this.allItems(this.tables.letters, pk, "MINUTE#"),
    ]);
    if (!item.Item) return null;
    return letterDocument(toLetter(item.Item), minutes.map((m) => ({ text: String(m.text ?? "") })));
  }

  private async file(agencyId: string, id: string): Promise<SearchDocument | null> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tables.files, Key: { pk: FileStore.filePk(agencyId, id), sk: "FILE" }, ConsistentRead: true }),
    );
    return out.Item ? fileDocument(toFile(out.Item)) : null;
  }

  private async allItems(table: string, pk: string, prefix: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: "pk = :pk AND begins_with(sk, :prefix)",
          ExpressionAttributeValues: { ":pk": pk, ":prefix": prefix },
          ConsistentRead: true,
          ExclusiveStartKey: startKey,
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }
}

function pause(round: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** round)));
}

export async function forEachLimit<T>(items: readonly T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await run(item);
    }
  });
  await Promise.all(workers);
}
