/**
 * Search latency against the size of the archive (issue 7, item 6). For 10,000, 100,000 and
 * 1,000,000 letters of the bilingual generator (`seed-letters.ts`), an index is written straight
 * into a SearchIndex table of an in-memory DynamoDB Local (BatchWriteItem, not through the stream:
 * the stream path is the integration tests' job), then four queries run as a registry clerk with
 * the real query code (`SearchIndexStore.search`): a rare term, a common term, two terms and a
 * reference number typed whole. Reported: p50 and p95 latency, and the items each query read.
 *
 * What is seeded: at 10,000 letters the whole index (every posting of every term). At every size,
 * a "query lists" index: every document item, and the complete posting lists of every term the
 * four queries name (the agency code and the year included, which are in every reference), but
 * not the lists of the other words, which no query here reads. Writing the whole index of a
 * million letters (about 75 items each) would take hours on two cores.
 */
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Actor } from "../../functions/core/letters";
import { letterDocument, parseSearchText, type SearchDocument } from "../../functions/core/search";
import { SearchIndexStore, type SearchCost } from "../../functions/store/search-index";
import { startDynamoDbLocal } from "../../local/engines/dynamodb";
import { LOCAL_CREDENTIALS } from "../../local/engines/s3";
import { ensureTable } from "../../local/tables";
import { BENCH_AGENCY, COMMON_WORD, RARE_WORD, TWO_WORDS, benchLetter } from "./seed-letters";

const SIZES = [10_000, 100_000, 1_000_000];
const RUNS = 60;
const WARMUP = 5;
const PAGE = 20;
const GOAL_RATIO = 1.5;
/** A registry clerk outside every movement chain: reads OPEN and RESTRICTED letters, not CONFIDENTIAL ones. */
const CLERK: Actor = { userId: "clerk-2", roles: ["registry"], departmentId: "registry-dept" };

interface QuerySpec {
  name: string;
  text: (size: number) => string;
}

const QUERIES: QuerySpec[] = [
  { name: "rare term", text: () => RARE_WORD.toLowerCase() },
  { name: "common term", text: () => COMMON_WORD },
  { name: "two terms", text: () => TWO_WORDS },
  { name: "reference number", text: (size) => benchLetter(Math.floor(size / 2), size).reference },
];

interface Measured {
  size: number;
  seeding: string;
  query: string;
  p50: number;
  p95: number;
  results: number;
  cost: SearchCost;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/** Every partition the benchmark's queries may read. */
function queryPartitions(size: number): Set<string> {
  const partitions = new Set<string>();
  for (const spec of QUERIES) {
    const query = parseSearchText(spec.text(size));
    for (const key of query.keys) partitions.add(SearchIndexStore.listPk(BENCH_AGENCY, "letter", key));
    if (query.reference) partitions.add(SearchIndexStore.referencePk(BENCH_AGENCY, query.reference));
  }
  return partitions;
}

async function seed(store: SearchIndexStore, size: number, keep: ((pk: string) => boolean) | undefined, log: (m: string) => void) {
  const started = performance.now();
  let items = 0;
  let pending: SearchDocument[] = [];
  const inFlight = new Set<Promise<void>>();
  const flush = (docs: SearchDocument[]) => {
    const write: Promise<void> = store.putDocumentsUnchecked(docs, keep).then((n) => {
      items += n;
      inFlight.delete(write);
    });
    inFlight.add(write);
  };
  for (let n = 1; n <= size; n++) {
    pending.push(letterDocument(benchLetter(n, size), []));
    if (pending.length === 200) {
      flush(pending);
      pending = [];
      if (inFlight.size >= 3) await Promise.race(inFlight);
    }
    if (n % 100_000 === 0) log(`    ${n} letters, ${items} items, ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  if (pending.length > 0) flush(pending);
  await Promise.all(inFlight);
  return { items, seconds: (performance.now() - started) / 1000 };
}

async function measure(store: SearchIndexStore, size: number, seeding: string): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const spec of QUERIES) {
    const query = parseSearchText(spec.text(size));
    const times: number[] = [];
    let last: { results: number; cost: SearchCost } | undefined;
    for (let i = 0; i < WARMUP + RUNS; i++) {
      const started = performance.now();
      const result = await store.search({ agencyId: BENCH_AGENCY, actor: CLERK, query, filters: {}, limit: PAGE });
      const ms = performance.now() - started;
      if (i >= WARMUP) times.push(ms);
      last = { results: result.items.length, cost: result.cost };
    }
    times.sort((a, b) => a - b);
    out.push({
      size,
      seeding,
      query: `${spec.name} "${spec.text(size)}"`,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      results: last?.results ?? 0,
      cost: last?.cost ?? { queries: 0, postingsRead: 0, documentsRead: 0 },
    });
  }
  return out;
}

export async function benchSearch(options: { sizes?: number[] } = {}) {
  const sizes = options.sizes ?? SIZES;
  const log = (m: string) => console.log(m);
  const engine = await startDynamoDbLocal();
  const client = new DynamoDBClient({ region: "af-south-1", endpoint: engine.endpoint, credentials: LOCAL_CREDENTIALS });
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const measured: Measured[] = [];
  const seeding: { size: number; mode: string; items: number; seconds: number }[] = [];
  let itemsPerLetter = 0;
  try {
    const sample = Math.min(10_000, sizes[0] ?? 10_000);
    for (let n = 1; n <= sample; n++) itemsPerLetter += SearchIndexStore.itemCount(letterDocument(benchLetter(n, sample), []));
    itemsPerLetter /= sample;

    let table = 0;
    const run = async (size: number, mode: "whole index" | "query lists") => {
      table += 1;
      const name = `BenchSearch${table}`;
      await ensureTable(client, name);
      const store = new SearchIndexStore(doc, name);
      log(`  seeding ${size} letters (${mode}) ...`);
      const partitions = queryPartitions(size);
      const written = await seed(store, size, mode === "whole index" ? undefined : (pk) => partitions.has(pk), log);
      seeding.push({ size, mode, ...written });
      log(`  measuring ${size} (${mode}) ...`);
      measured.push(...(await measure(store, size, mode)));
      await client.send(new DeleteTableCommand({ TableName: name }));
    };
    for (const size of sizes) {
      if (size <= 10_000) await run(size, "whole index");
      await run(size, "query lists");
    }
  } finally {
    client.destroy();
    await engine.stop();
  }

  console.log("\nSearch: seeding (BatchWriteItem into in-memory DynamoDB Local)");
  console.table(
    seeding.map((s) => ({
      letters: s.size,
      index: s.mode,
      "items written": s.items,
      seconds: s.seconds.toFixed(0),
      "items/s": (s.items / s.seconds).toFixed(0),
    })),
  );
  console.log(`\nSearch: latency per query (page of ${PAGE}, ${RUNS} runs after ${WARMUP} warm-up, as a registry clerk)`);
  console.table(
    measured.map((m) => ({
      letters: m.size,
      index: m.seeding,
      query: m.query,
      "p50 ms": m.p50.toFixed(1),
      "p95 ms": m.p95.toFixed(1),
      results: m.results,
      "Query calls": m.cost.queries,
      "postings read": m.cost.postingsRead,
      "documents read": m.cost.documentsRead,
    })),
  );

  const rows = [
    {
      benchmark: "search",
      measure: "index items written per letter (document item, postings, reference entries; no minutes)",
      value: itemsPerLetter.toFixed(1),
      goal: "-",
      met: "-",
    },
  ];
  const smallest = Math.min(...sizes);
  const largest = Math.max(...sizes);
  for (const spec of QUERIES) {
    const base = measured.find((m) => m.size === smallest && m.seeding === "query lists" && m.query.startsWith(spec.name));
    const top = measured.find((m) => m.size === largest && m.seeding === "query lists" && m.query.startsWith(spec.name));
    if (!base || !top) continue;
    const ratio = top.p95 / base.p95;
    rows.push({
      benchmark: "search",
      measure: `${spec.name}: p95 at ${largest} / p95 at ${smallest} letters (${top.p95.toFixed(1)} / ${base.p95.toFixed(1)} ms)`,
      value: ratio.toFixed(2),
      goal: `<= ${GOAL_RATIO}`,
      met: ratio <= GOAL_RATIO ? "yes" : "no",
    });
  }
  return rows;
}
