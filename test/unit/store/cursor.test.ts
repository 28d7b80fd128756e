import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor } from "../../../functions/store/cursor";
import { InvalidCursorError } from "../../../functions/store/errors";

/** List cursors: only a cursor of the very list (partition and sort-key prefix) is taken back. */

const attributes = ["pk", "sk", "gsi1pk", "gsi1sk"] as const;
const files = { gsi1pk: "AGENCY#a1#FILES" };
const openKey = { pk: "AGENCY#a1#FILE#f1", sk: "FILE", gsi1pk: "AGENCY#a1#FILES", gsi1sk: "OPEN#DEMO/ADM/2026/0001" };
const cursorOf = (key: Record<string, unknown>) => encodeCursor(key) ?? "";

describe("list cursors", () => {
  it("give back the key they were made of, for the same list", () => {
    expect(encodeCursor(undefined)).toBeNull();
    expect(decodeCursor(undefined, attributes, files)).toBeUndefined();
    expect(decodeCursor(cursorOf(openKey), attributes, files)).toEqual(openKey);
    expect(decodeCursor(cursorOf(openKey), attributes, files, { gsi1sk: "OPEN#" })).toEqual(openKey);
  });

  it("refuse a cursor of the same partition outside the query's sort-key prefix", () => {
    // A cursor of the unfiltered (or OPEN) list sent with status=CLOSED: DynamoDB would refuse the start key.
    expect(() => decodeCursor(cursorOf(openKey), attributes, files, { gsi1sk: "CLOSED#" })).toThrow(InvalidCursorError);
    // A prefix must match from the start, not only contain it.
    const sneaky = { ...openKey, gsi1sk: "XCLOSED#DEMO/ADM/2026/0001" };
    expect(() => decodeCursor(cursorOf(sneaky), attributes, files, { gsi1sk: "CLOSED#" })).toThrow(InvalidCursorError);
    expect(() => decodeCursor(cursorOf({ pk: "AGENCY#a1", sk: "USER#u1" }), ["pk", "sk"], { pk: "AGENCY#a1" }, { sk: "DEPT#" })).toThrow(
      InvalidCursorError,
    );
  });

  it("refuse another partition, other attributes, and anything that is not a cursor", () => {
    const refused = [
      cursorOf({ ...openKey, gsi1pk: "AGENCY#a2#FILES" }),
      cursorOf({ pk: openKey.pk, sk: openKey.sk, gsi1pk: openKey.gsi1pk }),
      cursorOf({ ...openKey, extra: "x" }),
      cursorOf({ ...openKey, gsi1sk: 7 }),
      cursorOf({ ...openKey, gsi1sk: "OPEN#" + "x".repeat(1100) }),
      Buffer.from("[1,2,3,4]").toString("base64url"),
      Buffer.from("null").toString("base64url"),
      "%%%not-base64",
      "",
    ];
    for (const cursor of refused) expect(() => decodeCursor(cursor, attributes, files, { gsi1sk: "OPEN#" }), cursor).toThrow(InvalidCursorError);
  });
});
