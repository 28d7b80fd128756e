import { StartExecutionCommand } from "@aws-sdk/client-sfn";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LETTER_WORKFLOW_NAME } from "../../../functions/workflow/functions";
import { stateMachineArnFor } from "../../../local/sfn";
import { after, HOUR, startWorkflowHarness, until, type WorkflowHarness } from "./harness";

/**
 * The workflow's fault tolerance (DESIGN.md section 5): users are never blocked by it, and it
 * catches up with the letters (the source of truth) when it can.
 */

let h: WorkflowHarness;

beforeAll(async () => {
  h = await startWorkflowHarness("wf-faults");
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

describe("letter workflow faults", () => {
  it("with the engine stopped users still act on letters, and the workflow catches up when it returns", async () => {
    const { registry, officerA, officerB } = h.people;
    const waiting = await h.register(registry, { assigneeId: officerA.id, dueAt: after(h, 5 * 24 * HOUR) });
    await h.settled(waiting.id);

    await h.engine.stop();
    await expect(h.execution(waiting.id)).rejects.toThrow();
    const newcomer = await h.register(registry, { assigneeId: officerB.id, dueAt: new Date(Date.now() + 4_000).toISOString() });
    expect(newcomer.status).toBe("FOR_ACTION");
    expect((await h.act(officerA, waiting.id, "accept")).status).toBe(200);
    const moved = await h.act(officerA, waiting.id, "reassign", { to: officerB.id, reason: "Nipo likizo" });
    expect(moved.status).toBe(200);
    expect((await h.letter(officerB, waiting.id)).assigneeId).toBe(officerB.id);

    await h.engine.start();
    // The waiting execution learns of both actions; the newcomer's execution starts late but runs.
    await h.settled(waiting.id);
    await h.settled(newcomer.id);
    const late = await h.eventually(newcomer.id, "markOverdue");
    expect(late.overdue).toBe(true);
  });

  it("with mail failing the workflow goes on, and the notices follow once mail is back", async () => {
    const { registry, officerA } = h.people;
    h.mailbox.setFailing(true);
    const about = (reference: string) => h.mailbox.list({ to: officerA.email }).filter((m) => `${m.subject}\n${m.text ?? ""}`.includes(reference));
    try {
      const letter = await h.register(registry, { assigneeId: officerA.id, dueAt: new Date(Date.now() + 2_000).toISOString(), subject: "Ripoti ya fedha" });
      await h.eventually(letter.id, "markOverdue");
      await h.settled(letter.id);
      await h.advance(24 * HOUR);
      await h.eventually(letter.id, "remind");
      await h.settled(letter.id);
      expect(about(letter.reference)).toEqual([]);
      h.mailbox.setFailing(false);
      // Retried by the stream: for action, overdue, reminder.
      const mails = await until("the notices after mail came back", async () => (about(letter.reference).length >= 3 ? about(letter.reference) : undefined), 45_000);
      expect(mails).toHaveLength(3);
    } finally {
      h.mailbox.setFailing(false);
    }
  }, 60_000);

  it("a letter that moved on before its token was stored is caught up by the token-storing task itself", async () => {
    const { registry, officerA } = h.people;
    const tasks = h.holdTokenTasks();
    const letter = await h.register(registry, { assigneeId: officerA.id, dueAt: after(h, 5 * 24 * HOUR) });
    await tasks.held(letter.id);
    // Planned for version 1; the letter moves to version 2 while no token is stored, so nobody can signal it.
    expect((await h.act(officerA, letter.id, "accept")).status).toBe(200);
    await h.drained();
    expect(await h.workflowItem(letter.id)).toBeUndefined();
    tasks.release();
    await h.settled(letter.id);
    expect((await h.workflowItem(letter.id))?.plannedVersion).toBe(2);
  });

  it("records a task that cannot succeed and fails the execution, which raises the alarm in the cloud", async () => {
    const arn = stateMachineArnFor("af-south-1", LETTER_WORKFLOW_NAME);
    await h.sfn.send(new StartExecutionCommand({ stateMachineArn: arn, name: "no-such-letter", input: JSON.stringify({ agencyId: h.demo.agencyId, letterId: "no-such-letter" }) }));
    const run = await until("the execution to fail", async () => {
      const out = await h.execution("no-such-letter");
      return out?.status === "FAILED" ? out : undefined;
    });
    expect(run.error).toBe("LetterWorkflowFailed");
    expect((await h.workflowItem("no-such-letter"))?.failure).toMatchObject({ error: "LetterMissing" });
  });
});
