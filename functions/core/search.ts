/**
 * Archive search (DESIGN.md section 6, `GET /api/search`), the pure part: text normalisation,
 * Kiswahili and English stop words, the index keys a document is filed under, the query plan, and
 * the checks made on each candidate (every term, the filters, the read rule).
 *
 * How the index works (the store keeps it in the SearchIndex table):
 * - a document (a letter with its minutes, or a registry file) has one *document item* holding what
 *   may change (status, classification, movement chain) and its sorted set of normalised terms;
 * - for every term the document is listed under a few *posting lists*, whose entries carry nothing
 *   but the document's date, kind and id, so they never change after registration:
 *   `p:<prefix>` for each prefix of 3 to 6 characters (a shorter term: the term itself), and
 *   `t:<term>` for a term longer than 6. A list may hold more than the query asks for (`p:maji`
 *   also lists letters with "majibu"); every candidate is checked against its document's terms;
 * - entries are sorted by `<date>#<kind>#<id>`, so a query reads a list newest first and stops as
 *   soon as a page is full: its cost follows the page, not the archive.
 * A query reads only one list: that of its most selective term (see `chooseDriver`); the other
 * terms, the filters and the read rule are checked on the document items of the candidates.
 */
import { canReadFile, canReadLetter } from "./access";
import type { FileStatus, RegistryFile } from "./files";
import type { Actor, Letter, LetterStatus } from "./letters";
import type { Classification } from "./records";

export const SEARCH_KINDS = ["letter", "file"] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];

export const SEARCH_STATUSES = ["FOR_ACTION", "IN_PROGRESS", "AWAITING_APPROVAL", "CLOSED", "OPEN"] as const;
export type SearchStatus = LetterStatus | FileStatus;

/** Shortest prefix with a posting list: type-ahead starts at the third character. */
export const MIN_PREFIX = 3;
/** Longest prefix with a posting list; longer prefixes read the 6-character list and are checked on the candidates. */
export const MAX_PREFIX = 6;
/** Longer words are cut here (nobody types more). */
export const MAX_TERM = 40;
/** Terms kept per document; a letter with hundreds of minutes keeps its first this many distinct terms. */
export const MAX_DOCUMENT_TERMS = 3000;

/** The commonest Kiswahili function words, and the words nearly every subject line starts with. */
export const KISWAHILI_STOP_WORDS = [
  "na", "ya", "wa", "za", "la", "kwa", "cha", "vya", "katika", "ni", "si", "kama", "hii", "hiyo", "huo", "hizo",
  "hayo", "hili", "hilo", "hiki", "hicho", "hivi", "huu", "ile", "yale", "ule", "wale", "zile", "kile", "vile",
  "au", "lakini", "pia", "tu", "sana", "hata", "bado", "kwamba", "ambayo", "ambao", "ambaye", "ambazo", "ambalo",
  "ambacho", "ambavyo", "ili", "hivyo", "kutoka", "hadi", "mpaka", "juu", "chini", "ndani", "nje", "baada",
  "kabla", "wakati", "pamoja", "kila", "yote", "wote", "zote", "yangu", "wangu", "yako", "wako", "yetu", "wetu",
  "yenu", "wenu", "yao", "wao", "sisi", "ninyi", "mimi", "wewe", "yeye", "hapa", "pale", "kule", "huko", "humo",
  "mwa", "pa", "ku", "zaidi", "tena", "ndiyo", "ndio", "hapana", "je", "nini", "nani", "lini", "wapi", "vipi",
  "gani", "kuhusu", "yake", "wake", "zake", "lake", "chake", "vyake", "zao", "lao", "chao", "vyao", "kwenye",
] as const;

/** The commonest English function words, and "re" of subject lines. */
export const ENGLISH_STOP_WORDS = [
  "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "is",
  "are", "was", "were", "be", "been", "being", "it", "its", "this", "that", "these", "those", "there", "their",
  "they", "them", "he", "she", "his", "her", "we", "our", "you", "your", "i", "me", "my", "not", "no", "so",
  "if", "then", "than", "into", "about", "over", "under", "up", "down", "out", "off", "all", "any", "each",
  "which", "who", "whom", "what", "when", "where", "why", "how", "has", "have", "had", "do", "does", "did",
  "will", "would", "shall", "should", "can", "could", "may", "might", "must", "also", "re", "per", "via",
] as const;

export const STOP_WORDS: ReadonlySet<string> = new Set<string>([...KISWAHILI_STOP_WORDS, ...ENGLISH_STOP_WORDS]);

/**
 * Lower case, accents and other marks dropped (NFKD), apostrophes joined ("ng'ombe" is one word),
 * every other non-letter, non-digit character a space.
 */
export function normaliseText(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/['’‘`´]/g, "")
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

/** The words of a text that are worth an index entry: normalised, no stop words, no single letters. */
export function tokenize(text: string): string[] {
  const words = normaliseText(text).split(" ");
  const out: string[] = [];
  for (const word of words) {
    if (word.length === 0 || STOP_WORDS.has(word)) continue;
    if (word.length === 1 && !/\p{N}/u.test(word)) continue;
    out.push(word.slice(0, MAX_TERM));
  }
  return out;
}

/** The sorted, distinct terms of some texts. */
export function termsOf(texts: readonly (string | null | undefined)[]): string[] {
  const set = new Set<string>();
  for (const text of texts) if (text) for (const term of tokenize(text)) set.add(term);
  return [...set].sort();
}

/**
 * A reference number in one canonical spelling: `DEMO/ADM/2026/0007`, ` demo / adm/2026/0007`
 * and `Demo/Adm/2026/0007` are one. Null when the text is not reference-like (it needs a
 * separator `/`, `-` or `.` between letters or digits, and a digit).
 */
export function normaliseReference(text: string): string | null {
  const compact = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/\s*([/.-])\s*/g, "$1")
    .trim();
  if (!/^[\p{L}\p{N}]+(?:[/.-][\p{L}\p{N}]+)+$/u.test(compact)) return null;
  if (!/\p{N}/u.test(compact)) return null;
  return compact;
}

/** The posting lists a term is filed under (see the module comment). */
export function indexKeys(term: string): string[] {
  if (term.length < MIN_PREFIX) return [`p:${term}`];
  const keys: string[] = [];
  for (let n = MIN_PREFIX; n <= Math.min(term.length, MAX_PREFIX); n++) keys.push(`p:${term.slice(0, n)}`);
  if (term.length > MAX_PREFIX) keys.push(`t:${term}`);
  return keys;
}

/** The posting list that holds every document with exactly this term (and maybe more). */
export function exactKey(term: string): string {
  return term.length > MAX_PREFIX ? `t:${term}` : `p:${term}`;
}

/** The posting list that holds every document with a term starting with `prefix`, or null when it is too short to have one. */
export function prefixKey(prefix: string): string | null {
  return prefix.length >= MIN_PREFIX ? `p:${prefix.slice(0, MAX_PREFIX)}` : null;
}

/** What the index keeps of a letter or file. */
export interface SearchDocument {
  kind: SearchKind;
  id: string;
  agencyId: string;
  reference: string;
  /** A letter's subject, a file's title. */
  title: string;
  /** When it was registered or opened (UTC ISO-8601): the order of results and of the date filter. */
  date: string;
  status: SearchStatus;
  /** An open letter past its due date (the workflow's flag); files never. */
  overdue: boolean;
  classification: Classification;
  departmentId: string | null;
  /** Letters: the movement chain, assignee and approver (the read rule); files: empty. */
  chain: string[];
  assigneeId: string | null;
  approverId: string | null;
  /** Sorted distinct normalised terms of every indexed field. */
  terms: string[];
  /** Canonical reference numbers (its own and, for a letter, the sender's). */
  references: string[];
  /** The source record's version: a change is indexed only over an older one. */
  version: number;
}

/** A letter with its minutes: reference numbers, subject, sender name and organisation, summary, minutes. */
export function letterDocument(letter: Letter, minutes: readonly { text: string }[]): SearchDocument {
  const references = [letter.reference, letter.sender?.reference].flatMap((r) => {
    const ref = r ? normaliseReference(r) : null;
    return ref ? [ref] : [];
  });
  const terms = termsOf([
    letter.reference,
    letter.subject,
    letter.sender?.name,
    letter.sender?.organisation,
    letter.sender?.reference,
    letter.summary,
    ...minutes.map((m) => m.text),
  ]).slice(0, MAX_DOCUMENT_TERMS);
  return {
    kind: "letter",
    id: letter.id,
    agencyId: letter.agencyId,
    reference: letter.reference,
    title: letter.subject,
    date: letter.createdAt,
    status: letter.status,
    overdue: letter.status !== "CLOSED" && letter.overdue,
    classification: letter.classification,
    departmentId: letter.departmentId,
    chain: [...letter.chain],
    assigneeId: letter.assigneeId,
    approverId: letter.approverId,
    terms,
    references: [...new Set(references)],
    version: letter.version,
  };
}

/** A registry file: reference number, title, description. */
export function fileDocument(file: RegistryFile): SearchDocument {
  const ref = normaliseReference(file.reference);
  return {
    kind: "file",
    id: file.id,
    agencyId: file.agencyId,
    reference: file.reference,
    title: file.title,
    date: file.createdAt,
    status: file.status,
    overdue: false,
    classification: file.classification,
    departmentId: file.departmentId,
    chain: [],
    assigneeId: null,
    approverId: null,
    terms: termsOf([file.reference, file.title, file.description]).slice(0, MAX_DOCUMENT_TERMS),
    references: ref ? [ref] : [],
    version: file.version,
  };
}

/** Every posting list a document is filed under. */
export function documentKeys(doc: Pick<SearchDocument, "terms">): string[] {
  const keys = new Set<string>();
  for (const term of doc.terms) for (const key of indexKeys(term)) keys.add(key);
  return [...keys].sort();
}

/** Sort key of a posting: newest first when read backwards, unique, and the same shape for both kinds. */
export function postingSortKey(doc: Pick<SearchDocument, "date" | "kind" | "id">): string {
  return `${doc.date}#${doc.kind}#${doc.id}`;
}

export function parsePostingSortKey(sk: string): { date: string; kind: SearchKind; id: string } | null {
  const match = /^(.+)#(letter|file)#([^#]+)$/.exec(sk);
  if (!match) return null;
  return { date: match[1] ?? "", kind: match[2] as SearchKind, id: match[3] ?? "" };
}

/** A query, as typed, made into terms: every term must match; the last one also as a prefix. */
export interface SearchQuery {
  /** Terms matched whole. */
  exact: string[];
  /** The last term, matched as a prefix (null when the query ends with a space or has no words). */
  prefix: string | null;
  /** The whole query as a reference number, when it reads as one. */
  reference: string | null;
  /** Posting lists that each hold every match; the plan reads one of them. Empty: nothing can match. */
  keys: string[];
}

export function parseSearchText(raw: string): SearchQuery {
  const reference = normaliseReference(raw);
  const words = tokenize(raw);
  const endsTyping = !/\s$/.test(raw) && words.length > 0;
  const last = endsTyping ? words.at(-1) ?? null : null;
  const exact = [...new Set(endsTyping ? words.slice(0, -1) : words)];
  const prefix = last !== null && !exact.includes(last) ? last : null;
  const keys = new Set<string>();
  for (const term of exact) keys.add(exactKey(term));
  if (prefix !== null) {
    const key = prefixKey(prefix);
    if (key) keys.add(key);
    // A lone short word: matched whole, since a 1-2 character prefix has no list of its own.
    else if (exact.length === 0) keys.add(exactKey(prefix));
  }
  return { exact, prefix, reference, keys: [...keys] };
}

/** Binary search in sorted terms: is there one starting with `prefix`? */
function hasPrefix(sortedTerms: readonly string[], prefix: string): boolean {
  let lo = 0;
  let hi = sortedTerms.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sortedTerms[mid] ?? "") < prefix) lo = mid + 1;
    else hi = mid;
  }
  return (sortedTerms[lo] ?? "").startsWith(prefix);
}

/** Every term of the query is among the document's terms; the last as a prefix. */
export function matchesQuery(doc: Pick<SearchDocument, "terms">, query: SearchQuery): boolean {
  if (query.exact.length === 0 && query.prefix === null) return false;
  const terms = new Set(doc.terms);
  if (!query.exact.every((t) => terms.has(t))) return false;
  return query.prefix === null || hasPrefix(doc.terms, query.prefix);
}

export interface SearchFilters {
  kind?: SearchKind;
  status?: SearchStatus;
  /** Inclusive lower bound of `date` (UTC ISO-8601). */
  from?: string;
  /** Exclusive upper bound of `date` (UTC ISO-8601). */
  to?: string;
}

export function matchesFilters(doc: Pick<SearchDocument, "kind" | "status" | "date">, filters: SearchFilters): boolean {
  if (filters.kind && doc.kind !== filters.kind) return false;
  if (filters.status && doc.status !== filters.status) return false;
  if (filters.from && doc.date < filters.from) return false;
  if (filters.to && doc.date >= filters.to) return false;
  return true;
}

/** The kinds a filter can match: a letter-only status never matches a file, `OPEN` only files. */
export function kindsFor(filters: SearchFilters): SearchKind[] {
  const kinds: SearchKind[] = filters.kind ? [filters.kind] : [...SEARCH_KINDS];
  if (!filters.status || filters.status === "CLOSED") return kinds;
  const kindOfStatus: SearchKind = filters.status === "OPEN" ? "file" : "letter";
  return kinds.filter((k) => k === kindOfStatus);
}

/** The read rule of DESIGN.md section 6, on what the index keeps (`core/access`). */
export function canReadDocument(actor: Actor, doc: SearchDocument): boolean {
  if (doc.kind === "file") return canReadFile(actor, { classification: doc.classification, departmentId: doc.departmentId ?? "" });
  return canReadLetter(actor, {
    classification: doc.classification,
    chain: doc.chain,
    departmentId: doc.departmentId,
    assigneeId: doc.assigneeId ?? "",
    approverId: doc.approverId,
  });
}

/** What a first read of one posting list told about it. */
export interface ListProbe {
  key: string;
  /** Entries read. */
  read: number;
  /** Sort key of the oldest entry read, or null when the list was read to its end. */
  reach: string | null;
}

/**
 * The posting list to walk: the one whose first entries reach furthest back in time, i.e. the
 * sparsest near the top (a list read to its end is sparsest of all; then the shortest wins).
 * Needs no counters: each list's first page, read anyway, tells its density where the walk starts.
 */
export function chooseDriver(probes: readonly ListProbe[]): string | null {
  let best: ListProbe | null = null;
  const rank = (p: ListProbe) => p.reach ?? "";
  for (const probe of probes) {
    if (!best || rank(probe) < rank(best) || (rank(probe) === rank(best) && probe.read < best.read)) best = probe;
  }
  return best?.key ?? null;
}

/** Midnight UTC of a calendar date; unlike `Date.UTC`, years 0-99 stay themselves (not 1900-1999). */
function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/** A time zone's offset from UTC at an instant, in milliseconds (read as `GMT+03:00`, so any year works). */
function zoneOffset(instant: number, timezone: string): number {
  const name =
    new Intl.DateTimeFormat("en-US", { timeZone: timezone, timeZoneName: "longOffset" })
      .formatToParts(new Date(instant))
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const match = /^GMT(?:([+-])(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(name);
  if (!match) throw new Error(`Unexpected offset ${name} of time zone ${timezone}`);
  if (!match[1]) return 0;
  const ms = ((Number(match[2]) * 60 + Number(match[3])) * 60 + Number(match[4] ?? 0)) * 1000;
  return match[1] === "-" ? -ms : ms;
}

/** The UTC instant (ms) at which a calendar day starts in a time zone; an out-of-range day rolls over (32 May is 1 June). */
function zonedMidnight(year: number, month: number, day: number, timezone: string): number {
  const guess = utcMidnight(year, month, day);
  // Twice, in case the offset differs on either side of a daylight-saving change.
  return guess - zoneOffset(guess - zoneOffset(guess, timezone), timezone);
}

/** The UTC instant at which a calendar date (`YYYY-MM-DD`) starts in a time zone. */
export function zonedDayStart(date: string, timezone: string): Date {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(zonedMidnight(y ?? 1970, m ?? 1, d ?? 1, timezone));
}

/**
 * The range of instants the sort keys can hold: they start with four-digit years, and an ISO
 * string outside these years (`+010000-...`, `-000001-...`) would sort in the wrong place.
 */
const EARLIEST = Date.parse("0000-01-01T00:00:00.000Z");
const LATEST = Date.parse("9999-12-31T23:59:59.999Z");

/** The date filter of a search as UTC bounds (`SearchFilters.from`/`to`), and whether it can match anything at all. */
export interface DateBounds {
  from?: string;
  to?: string;
  /** `from` is after `to` (in the agency's time zone): no instant is in the range. */
  empty: boolean;
}

/**
 * The date filter as UTC bounds: `from` (a date or an instant) inclusive, `to` inclusive of its
 * whole day (a date) or of its instant. Dates are days of the agency's time zone, so `from` and
 * `to` are compared only here, as instants: `from=2026-05-01` (Lima) starts at 05:00Z and is
 * after `to=2026-05-01T02:00:00Z`. A bound beyond what a sort key can hold is left out (or
 * pinned to the edge), so the bounds always sort like the instants they stand for.
 */
export function dateBounds(from: string | undefined, to: string | undefined, timezone: string): DateBounds {
  const isDate = (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v);
  const dayStart = (date: string, plusDays: number) => {
    const [y, m, d] = date.split("-").map(Number);
    return zonedMidnight(y ?? 1970, m ?? 1, (d ?? 1) + plusDays, timezone);
  };
  const fromMs = from ? (isDate(from) ? dayStart(from, 0) : Date.parse(from)) : undefined;
  // Exclusive: the start of the next day, or the millisecond after the instant.
  const toMs = to ? (isDate(to) ? dayStart(to, 1) : Date.parse(to) + 1) : undefined;
  const out: DateBounds = { empty: fromMs !== undefined && toMs !== undefined && fromMs >= toMs };
  if (fromMs !== undefined && fromMs > EARLIEST) out.from = new Date(Math.min(fromMs, LATEST)).toISOString();
  if (toMs !== undefined && toMs <= LATEST) out.to = new Date(Math.max(toMs, EARLIEST)).toISOString();
  return out;
}

/** A result as the API returns it. */
export interface SearchHit {
  kind: SearchKind;
  id: string;
  reference: string;
  title: string;
  date: string;
  status: SearchStatus;
  /** Beyond DESIGN.md's fields, so that overdue letters are marked in results too. */
  overdue: boolean;
}

export function toHit(doc: SearchDocument): SearchHit {
  return { kind: doc.kind, id: doc.id, reference: doc.reference, title: doc.title, date: doc.date, status: doc.status, overdue: doc.overdue };
}
