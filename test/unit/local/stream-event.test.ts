import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { toLambdaRecord } from "../../../local/streams/event";
import { firstFailedIndex } from "../../../local/streams/poller";

const batch: DynamoDBRecord[] = ["100", "200", "300"].map((seq) => ({ dynamodb: { SequenceNumber: seq } }));

describe("partial batch responses", () => {
  it("treats no response, an empty list and a null list as success", () => {
    expect(firstFailedIndex(batch, undefined)).toBe(-1);
    expect(firstFailedIndex(batch, { batchItemFailures: [] })).toBe(-1);
    expect(firstFailedIndex(batch, { batchItemFailures: null })).toBe(-1);
  });

  it("retries from the lowest failed record", () => {
    expect(firstFailedIndex(batch, { batchItemFailures: [{ itemIdentifier: "300" }, { itemIdentifier: "200" }] })).toBe(1);
  });

  it("fails the whole batch for an empty or unknown identifier", () => {
    expect(firstFailedIndex(batch, { batchItemFailures: [{ itemIdentifier: "" }] })).toBe(0);
    expect(firstFailedIndex(batch, { batchItemFailures: [{ itemIdentifier: "999" }] })).toBe(0);
    expect(firstFailedIndex(batch, { batchItemFailures: [{ itemIdentifier: null }] })).toBe(0);
  });
});

describe("stream record conversion", () => {
  it("gives the Lambda JSON shape: base64 binaries, epoch seconds, nested values, the stream ARN", () => {
    const record = toLambdaRecord(
      {
        eventID: "e1",
        eventName: "MODIFY",
        eventVersion: "1.1",
        eventSource: "aws:dynamodb",
        awsRegion: "ddblocal",
        dynamodb: {
          ApproximateCreationDateTime: new Date("2026-03-01T04:00:07.000Z"),
          Keys: { pk: { S: "L#1" } },
          NewImage: {
            pk: { S: "L#1" },
            data: { B: new Uint8Array([104, 105]) },
            tags: { M: { urgent: { BOOL: true }, list: { L: [{ N: "1" }, { NULL: true }] } } },
            parts: { BS: [new Uint8Array([0])] },
          },
          SequenceNumber: "42",
          SizeBytes: 10,
          StreamViewType: "NEW_AND_OLD_IMAGES",
        },
      },
      "arn:stream",
      "af-south-1",
    );
    expect(record).toEqual({
      eventID: "e1",
      eventName: "MODIFY",
      eventVersion: "1.1",
      eventSource: "aws:dynamodb",
      awsRegion: "ddblocal",
      eventSourceARN: "arn:stream",
      dynamodb: {
        ApproximateCreationDateTime: Date.parse("2026-03-01T04:00:07.000Z") / 1000,
        Keys: { pk: { S: "L#1" } },
        NewImage: {
          pk: { S: "L#1" },
          data: { B: "aGk=" },
          tags: { M: { urgent: { BOOL: true }, list: { L: [{ N: "1" }, { NULL: true }] } } },
          parts: { BS: ["AA=="] },
        },
        SequenceNumber: "42",
        SizeBytes: 10,
        StreamViewType: "NEW_AND_OLD_IMAGES",
      },
    });
  });
});
