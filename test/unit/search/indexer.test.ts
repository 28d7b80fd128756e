import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import type { SearchDocument } from "../../../functions/core/search";
import type { DocumentRef } from "../../../functions/store/search-index";
import { createSearchIndexer, documentOf } from "../../../functions/streams/search-indexing";

function record(pk: string, sk: string, sequence: string): DynamoDBRecord {
  return { eventName: "MODIFY", dynamodb: { Keys: { pk: { S: pk }, sk: { S: sk } }, SequenceNumber: sequence } };
}

describe("search indexer", () => {
  it("knows which letter or file a stream record is about, and ignores the rest", () => {
    expect(documentOf(record("AGENCY#a1#LETTER#l1", "LETTER", "1"))).toEqual({ agencyId: "a1", kind: "letter", id: "l1" });
    expect(documentOf(record("AGENCY#a1#LETTER#l1", "MINUTE#000003", "1"))).toEqual({ agencyId: "a1", kind: "letter", id: "l1" });
    expect(documentOf(record("AGENCY#a1#FILE#f1", "FILE", "1"))).toEqual({ agencyId: "a1", kind: "file", id: "f1" });
    expect(documentOf(record("AGENCY#a1#LETTER#l1", "EVENT#000002", "1"))).toBeNull();
    expect(documentOf(record("AGENCY#a1#COUNTERS", "LETTER#IN#2026", "1"))).toBeNull();
  });

  it("indexes each document once per batch, from its table", async () => {
    const loaded: string[] = [];
    const saved: string[] = [];
    const handler = createSearchIndexer({
      sources: { load: async (ref: DocumentRef) => (loaded.push(ref.id), null) },
      index: { save: async (ref: DocumentRef, doc: SearchDocument | null) => (saved.push(`${ref.id}:${doc === null ? "gone" : "doc"}`), "removed" as const) },
    });
    const out = await handler({
      Records: [record("AGENCY#a#LETTER#l1", "LETTER", "1"), record("AGENCY#a#LETTER#l1", "MINUTE#000002", "2"), record("AGENCY#a#FILE#f1", "FILE", "3")],
    });
    expect(out).toEqual({ batchItemFailures: [] });
    expect(loaded.sort()).toEqual(["f1", "l1"]);
    expect(saved.sort()).toEqual(["f1:gone", "l1:gone"]);
  });

  it("reports the first record of the earliest document that failed, so the retry starts there", async () => {
    const handler = createSearchIndexer({
      sources: { load: async () => null },
      index: {
        save: async (ref: DocumentRef) => {
          if (ref.id === "l2" || ref.id === "l3") throw new Error("index unavailable");
          return "unchanged" as const;
        },
      },
    });
    const out = await handler({
      Records: [
        record("AGENCY#a#LETTER#l1", "LETTER", "10"),
        record("AGENCY#a#LETTER#l2", "EVENT#000001", "11"),
        record("AGENCY#a#LETTER#l2", "LETTER", "12"),
        record("AGENCY#a#LETTER#l3", "LETTER", "13"),
        record("AGENCY#a#LETTER#l2", "LETTER", "14"),
      ],
    });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: "12" }] });
  });
});
