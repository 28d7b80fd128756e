import { DeleteTableCommand, waitUntilTableNotExists } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLES } from "../../../functions/store/tables";
import { reindexAll } from "../../../functions/streams/search-indexing";
import { listFailedBatches } from "../../../local/streams/poller";
import { ensureTable } from "../../../local/tables";
import { DEMO, inDays, type LetterBody, type Person } from "../letters/harness";
import { startSearchHarness, titles, type SearchHarness } from "./harness";

/**
 * When the index stays down longer than the stream retries, the batch goes to the on-failure
 * destination (the cloud's dead-letter queue, the local checkpoint table) and the alarm rings;
 * `npm run reindex` (`reindexAll`) then rebuilds the index from the tables, with nothing missed.
 */

let h: SearchHarness;
let registry: Person;
let officerA: Person;

beforeAll(async () => {
  h = await startSearchHarness("search-reindex", { maxAttempts: 2, retryBackoffMs: 20 });
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  await h.indexed();
});

afterAll(async () => {
  await h?.stop();
});

const register = async (subject: string) => {
  const res = await h.call<LetterBody>("POST", "/api/letters", {
    token: registry.token,
    body: { subject, direction: "INCOMING", assigneeId: officerA.id, classification: "OPEN", dueAt: inDays(3) },
  });
  expect(res.status).toBe(201);
  return res.body;
};

describe("reindex", () => {
  it("rebuilds what a long outage left out, from the Letters and Files tables", async () => {
    await h.dynamo.send(new DeleteTableCommand({ TableName: h.tables.search }));
    await waitUntilTableNotExists({ client: h.dynamo, maxWaitTime: 30 }, { TableName: h.tables.search });
    const lost = await register("Ukarabati wa jengo la utawala");
    await h.indexed();
    expect((await listFailedBatches(h.dynamo, h.checkpointTable, "search-indexer-letters")).length).toBeGreaterThan(0);

    await ensureTable(h.dynamo, h.tables.search, { indexes: TABLES.search.indexes });
    const later = await register("Ukarabati wa jengo la maktaba");
    await h.indexed();
    // The stream moved on: only the later letter is in the index.
    expect((await h.search(officerA, { q: "ukarabati jengo" })).body.items.map((i) => i.id)).toEqual([later.id]);

    const report = await reindexAll({ doc: h.doc, tables: h.tables });
    expect(report.outcomes.indexed).toBeGreaterThanOrEqual(1);
    expect(report.letters).toBeGreaterThanOrEqual(2);
    expect(titles((await h.search(officerA, { q: "ukarabati jengo" })).body)).toEqual(["Ukarabati wa jengo la maktaba", "Ukarabati wa jengo la utawala"]);
    expect((await h.search(officerA, { q: "ukarabati jengo" })).body.items.map((i) => i.id)).toEqual([later.id, lost.id]);

    // A second run finds nothing to do; a run with `clear` rebuilds the same index from scratch.
    const again = await reindexAll({ doc: h.doc, tables: h.tables });
    expect(again.outcomes.indexed).toBe(0);
    const rebuilt = await reindexAll({ doc: h.doc, tables: h.tables, clear: true });
    expect(rebuilt.cleared).toBeGreaterThan(0);
    expect(rebuilt.outcomes.indexed).toBe(rebuilt.letters + rebuilt.files);
    expect((await h.search(officerA, { q: "ukarabati jengo" })).body.items.map((i) => i.id)).toEqual([later.id, lost.id]);
  });
});
