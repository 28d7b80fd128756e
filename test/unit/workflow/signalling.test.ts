import type { DynamoDBRecord } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createWorkflowSignaller, signalOf } from "../../../functions/streams/workflow-signalling";
import type { LetterWorkflowSignals, WorkflowDecision } from "../../../functions/store/letter-workflow";

/** The Letters stream consumer that replays to the workflow what the API may have failed to tell it. */

let sequence = 0;
function record(eventName: "INSERT" | "MODIFY", sk: string, image: Record<string, string | number>): DynamoDBRecord {
  sequence += 1;
  const NewImage: Record<string, { S: string } | { N: string }> = { pk: { S: "AGENCY#ag1#LETTER#L1" }, sk: { S: sk } };
  for (const [k, v] of Object.entries(image)) NewImage[k] = typeof v === "number" ? { N: String(v) } : { S: v };
  return { eventName, dynamodb: { Keys: { pk: { S: "AGENCY#ag1#LETTER#L1" }, sk: { S: sk } }, NewImage, SequenceNumber: String(sequence) } };
}

class FakeSignals {
  calls: string[] = [];
  failOn: string | null = null;

  async start(agencyId: string, letterId: string): Promise<void> {
    this.call(`start ${agencyId} ${letterId}`);
  }

  async signal(agencyId: string, letterId: string, decision: WorkflowDecision): Promise<boolean> {
    this.call(`signal ${agencyId} ${letterId} ${decision.action} ${decision.version}`);
    return true;
  }

  private call(what: string): void {
    if (this.failOn && what.includes(this.failOn)) throw Object.assign(new Error("connect ECONNREFUSED"), { name: "Error" });
    this.calls.push(what);
  }
}

describe("signalOf", () => {
  it("starts on a registration and signals user actions, each from its history event insert", () => {
    expect(signalOf(record("INSERT", "EVENT#000001", { action: "register", version: 1 }))).toEqual({ agencyId: "ag1", letterId: "L1", action: "register", version: 1 });
    expect(signalOf(record("INSERT", "EVENT#000004", { action: "reassign", version: 4 }))).toMatchObject({ action: "reassign", version: 4 });
  });

  it("ignores the letter item, minutes, updates and the workflow's own timer events", () => {
    expect(signalOf(record("MODIFY", "LETTER", { action: "accept", version: 2 }))).toBeNull();
    expect(signalOf(record("INSERT", "MINUTE#000003", { text: "x", version: 3 }))).toBeNull();
    expect(signalOf(record("MODIFY", "EVENT#000002", { action: "accept", version: 2 }))).toBeNull();
    for (const action of ["markOverdue", "remind", "escalate"]) {
      expect(signalOf(record("INSERT", "EVENT#000009", { action, version: 9 })), action).toBeNull();
    }
  });
});

describe("the workflow signaller", () => {
  it("replays registrations and actions in order", async () => {
    const signals = new FakeSignals();
    const handler = createWorkflowSignaller(signals as unknown as LetterWorkflowSignals);
    const out = await handler({
      Records: [
        record("INSERT", "EVENT#000001", { action: "register", version: 1 }),
        record("MODIFY", "LETTER", { version: 2 }),
        record("INSERT", "EVENT#000002", { action: "accept", version: 2 }),
      ],
    });
    expect(out.batchItemFailures).toEqual([]);
    expect(signals.calls).toEqual(["start ag1 L1", "signal ag1 L1 accept 2"]);
  });

  it("reports the first record it could not deliver, so the stream retries from there", async () => {
    const signals = new FakeSignals();
    signals.failOn = "accept";
    const handler = createWorkflowSignaller(signals as unknown as LetterWorkflowSignals);
    const failing = record("INSERT", "EVENT#000002", { action: "accept", version: 2 });
    const out = await handler({
      Records: [record("INSERT", "EVENT#000001", { action: "register", version: 1 }), failing, record("INSERT", "EVENT#000003", { action: "forward", version: 3 })],
    });
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: failing.dynamodb?.SequenceNumber }]);
    expect(signals.calls).toEqual(["start ag1 L1"]);
  });
});
