import { DeleteTableCommand, waitUntilTableNotExists } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLES } from "../../../functions/store/tables";
import { listFailedBatches } from "../../../local/streams/poller";
import { ensureTable } from "../../../local/tables";
import { DEMO, inDays, type LetterBody, type Person } from "../letters/harness";
import { startSearchHarness, titles, type SearchHarness } from "./harness";

/**
 * Indexing is decoupled from the letters (issue 7, item 4): while the index is unavailable letters
 * are still registered and acted on; when it is back, the indexer catches up from the stream with
 * nothing missed, and the state it shows is the latest.
 */

let h: SearchHarness;
let registry: Person;
let officerA: Person;
const retries: string[] = [];
const logger = { info: () => undefined, error: () => undefined, warn: (message: string) => void retries.push(message) };

beforeAll(async () => {
  // Keep retrying (as the cloud mapping does for hours) rather than give the batch up.
  h = await startSearchHarness("search-recovery", { maxAttempts: 1000, retryBackoffMs: 50, logger });
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  await h.indexed();
});

afterAll(async () => {
  await h?.stop();
});

describe("indexer failure and recovery", () => {
  it("lets letters be registered and acted on while the index is down, then catches up with every change", async () => {
    await h.dynamo.send(new DeleteTableCommand({ TableName: h.tables.search }));
    await waitUntilTableNotExists({ client: h.dynamo, maxWaitTime: 30 }, { TableName: h.tables.search });

    const registered: LetterBody[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await h.call<LetterBody>("POST", "/api/letters", {
        token: registry.token,
        body: { subject: `Tathmini ya mradi wa visima ${i}`, direction: "INCOMING", assigneeId: officerA.id, classification: "OPEN", dueAt: inDays(3) },
      });
      expect(res.status).toBe(201);
      registered.push(res.body);
    }
    const first = registered[0];
    if (!first) throw new Error("nothing registered");
    expect((await h.call("POST", `/api/letters/${first.id}/accept`, { token: officerA.token, body: {} })).status).toBe(200);
    expect((await h.call("POST", `/api/letters/${first.id}/minute`, { token: officerA.token, body: { text: "Mkandarasi ameripoti" } })).status).toBe(200);
    // The officer's box shows the work, index or not.
    const box = await h.call<{ items: { id: string }[] }>("GET", "/api/letters?box=for-action", { token: officerA.token });
    expect(box.body.items.map((i) => i.id)).toEqual(expect.arrayContaining(registered.slice(1).map((l) => l.id)));

    // The indexer did fail meanwhile (and is retrying).
    for (let waited = 0; retries.length === 0 && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(retries).toContain("Stream batch failed; retrying");

    // Recovery: the table is back (empty); the retried batches fill it.
    await ensureTable(h.dynamo, h.tables.search, { indexes: TABLES.search.indexes, stream: TABLES.search.stream });
    await h.indexed();

    const page = (await h.search(officerA, { q: "tathmini visima", limit: 10 })).body;
    expect(titles(page)).toEqual([5, 4, 3, 2, 1].map((i) => `Tathmini ya mradi wa visima ${i}`));
    expect(page.items.find((i) => i.id === first.id)?.status).toBe("IN_PROGRESS");
    expect((await h.search(officerA, { q: "mkandarasi" })).body.items.map((i) => i.id)).toEqual([first.id]);
    for (const name of ["search-indexer-letters", "search-indexer-files"]) {
      expect(await listFailedBatches(h.dynamo, h.checkpointTable, name)).toEqual([]);
    }
  });
});
