import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { describe, expect, it } from "vitest";
import { StatsStore } from "../../../functions/store/stats";

/** The Stats items a transition's deltas become: one ADD per item, days in the agency's time zone. */
const store = new StatsStore({} as DynamoDBDocumentClient, "Stats");

describe("Stats counter items", () => {
  it("merges deltas of one officer into one update of the OPEN item, and drops zeros", () => {
    const parts = store.updates(
      "AG",
      {
        open: [
          { userId: "S", counter: "awaitingApproval", by: -1 },
          { userId: "S", counter: "overdue", by: 1 },
          { userId: "S", counter: "overdue", by: -1 },
        ],
        handled: [],
        markedOverdue: [],
      },
      "Africa/Dar_es_Salaam",
    );
    expect(parts).toHaveLength(1);
    const update = parts[0]?.item.Update;
    expect(update?.Key).toEqual({ pk: "AGENCY#AG#USER#S", sk: "OPEN" });
    expect(update?.UpdateExpression).toBe("ADD #a0 :v0, #a1 :v1");
    expect(update?.ExpressionAttributeNames).toEqual({ "#a0": "awaitingApproval", "#a1": "rev" });
    expect(update?.ExpressionAttributeValues).toEqual({ ":v0": -1, ":v1": 1 });
  });

  it("counts a handled action on the agency's local day, in that month's item", () => {
    // 22:30 UTC on 31 May is 01:30 on 1 June in Dar es Salaam.
    const parts = store.updates(
      "AG",
      { open: [], handled: [{ userId: "A", at: "2026-05-31T22:30:00.000Z", heldSeconds: 3600, late: true }], markedOverdue: [] },
      "Africa/Dar_es_Salaam",
    );
    expect(parts).toHaveLength(1);
    const update = parts[0]?.item.Update;
    expect(update?.Key).toEqual({ pk: "AGENCY#AG#USER#A", sk: "HANDLED#2026-06" });
    expect(update?.ExpressionAttributeNames).toEqual({ "#a0": "d01", "#a1": "total", "#a2": "t01", "#a3": "l01", "#a4": "rev" });
    expect(update?.ExpressionAttributeValues).toEqual({ ":v0": 1, ":v1": 1, ":v2": 3600, ":v3": 1, ":v4": 1 });
  });

  it("counts a letter that became overdue on the agency's local day of the mark, for its assignee", () => {
    // 21:30 UTC on 30 June is 00:30 on 1 July in Dar es Salaam, but still 30 June in UTC.
    const marked = { open: [], handled: [], markedOverdue: [{ userId: "A", at: "2026-06-30T21:30:00.000Z" }] };
    const dar = store.updates("AG", marked, "Africa/Dar_es_Salaam")[0]?.item.Update;
    expect(dar?.Key).toEqual({ pk: "AGENCY#AG#USER#A", sk: "HANDLED#2026-07" });
    expect(dar?.ExpressionAttributeNames).toEqual({ "#a0": "o01", "#a1": "rev" });
    const utc = store.updates("AG", marked, "UTC")[0]?.item.Update;
    expect(utc?.Key).toEqual({ pk: "AGENCY#AG#USER#A", sk: "HANDLED#2026-06" });
    expect(utc?.ExpressionAttributeNames).toEqual({ "#a0": "o30", "#a1": "rev" });
  });
});
