import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSearchText, termsOf, type SearchDocument } from "../../../functions/core/search";
import { SearchIndexStore, type SearchResult } from "../../../functions/store/search-index";
import { ensureAppTables } from "../../../local/tables";
import { dynamoClient, uniquePrefix } from "../support/engines";

/**
 * What a search reads (`SearchResult.cost`) against DynamoDB Local, with an index far longer
 * than a page: a common word costs about a page whatever the length of its list, and a rare
 * word next to a common one costs about the rare word's list (README "Search", "How it works").
 */

const AGENCY = "cost-agency";
const LETTERS = 300;
/** Letters with the rare word: the oldest few, so walking the common word's list would reach them only at its end. */
const RARE = 3;
const reader = { userId: "reader", roles: ["officer" as const], departmentId: "dept-a" };

let dynamo: DynamoDBClient;
let index: SearchIndexStore;

function letter(i: number): SearchDocument {
  const words = ["bajeti", `n${i}`, ...(i % 3 === 0 ? ["mkutano"] : []), ...(i < RARE ? ["zabibu"] : [])];
  return {
    kind: "letter",
    id: `letter-${String(i).padStart(4, "0")}`,
    agencyId: AGENCY,
    reference: `COST/ADM/2026/${String(i + 1).padStart(4, "0")}`,
    title: words.join(" "),
    // One minute apart, so the order is known: the highest i is the newest.
    date: new Date(Date.parse("2026-03-01T08:00:00.000Z") + i * 60_000).toISOString(),
    status: "FOR_ACTION",
    overdue: false,
    classification: "OPEN",
    departmentId: "dept-a",
    chain: ["clerk"],
    assigneeId: "officer",
    approverId: null,
    terms: termsOf([words.join(" ")]),
    references: [],
    version: 1,
  };
}

const search = (text: string, limit: number, cursor?: string): Promise<SearchResult> =>
  index.search({ agencyId: AGENCY, actor: reader, query: parseSearchText(text), filters: {}, limit, cursor });

beforeAll(async () => {
  dynamo = dynamoClient();
  const tables = await ensureAppTables(dynamo, uniquePrefix("search-cost"));
  index = new SearchIndexStore(DynamoDBDocumentClient.from(dynamo), tables.search);
  // Straight into the index (no stream): a few thousand small items.
  await index.putDocumentsUnchecked(Array.from({ length: LETTERS }, (_, i) => letter(i)));
});

afterAll(() => {
  dynamo?.destroy();
});

describe("search cost", () => {
  it("reads about a page for a common word, not its whole list, on every page", async () => {
    const first = await search("bajeti ", 5);
    expect(first.items.map((i) => i.id)).toEqual([299, 298, 297, 296, 295].map((i) => letter(i).id));
    expect(first.nextCursor).not.toBeNull();
    // One short first read of each kind's list (files: empty), then the page's documents.
    expect(first.cost.postingsRead).toBeLessThanOrEqual(30);
    expect(first.cost.documentsRead).toBeLessThanOrEqual(30);
    expect(first.cost.queries).toBeLessThanOrEqual(3);

    const second = await search("bajeti ", 5, first.nextCursor ?? undefined);
    expect(second.items.map((i) => i.id)).toEqual([294, 293, 292, 291, 290].map((i) => letter(i).id));
    expect(second.cost.postingsRead + second.cost.documentsRead).toBeLessThanOrEqual(60);
  });

  it("costs the same for a list of 300 as for one of 100: the page decides, not the archive", async () => {
    const common = await search("bajeti ", 5);
    const lessCommon = await search("mkutano ", 5);
    expect(lessCommon.items).toHaveLength(5);
    expect(lessCommon.cost).toEqual(common.cost);
    // A bigger page reads more, in proportion to the page.
    const bigger = await search("bajeti ", 40);
    expect(bigger.items).toHaveLength(40);
    expect(bigger.cost.documentsRead).toBeGreaterThanOrEqual(40);
    expect(bigger.cost.documentsRead).toBeLessThanOrEqual(100);
    expect(bigger.cost.postingsRead).toBeLessThan(LETTERS / 2);
  });

  it("walks the rare word's list when a rare and a common word are asked together", async () => {
    const limit = 20;
    for (const text of ["zabibu bajeti ", "bajeti zabibu "]) {
      const result = await search(text, limit);
      // The three oldest letters, newest first, found without walking the 300 entries of the common word.
      expect(result.items.map((i) => i.id), text).toEqual([2, 1, 0].map((i) => letter(i).id));
      expect(result.nextCursor).toBeNull();
      expect(result.cost.documentsRead, text).toBe(RARE);
      // The rare list, plus one first read of the common one (about a page and a half) to learn it is denser.
      expect(result.cost.postingsRead, text).toBeLessThanOrEqual(RARE + 2 * limit);
    }
  });
});
