import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Person } from "../letters/harness";
import { startNotificationsHarness, waitUntil, type NotificationsHarness } from "./harness";

/**
 * Mail is isolated: with the mail service failing, requests still succeed, the consumer retries
 * with backoff and delivers after recovery, or hands the event to the failed-mail list after its
 * last attempt (here 4 attempts, 0.3 s doubling), and the digest reports what it could not send.
 */

let h: NotificationsHarness;
let officerA: Person;
let officerB: Person;

beforeAll(async () => {
  h = await startNotificationsHarness("mail-failures", { poller: { maxAttempts: 4, retryBackoffMs: 300 } });
  ({ officerA, officerB } = await h.people());
  await h.delivered(); // the seed's own notices
}, 60_000);

afterEach(() => {
  h.mailbox.setFailing(false);
});

afterAll(async () => {
  await h?.stop();
});

const about = (email: string, reference: string) => h.mailsTo(email).filter((m) => m.subject.includes(reference));

describe("with the mail service failing", () => {
  it("keeps every request working and delivers the mail once the service is back", async () => {
    h.mailbox.setFailing(true);
    const calls = h.handlerCalls();
    const letter = await h.register(officerA);
    // Workflow steps and reads answer as usual.
    const accepted = await h.act(officerA, letter, "accept");
    expect(accepted.status).toBe("IN_PROGRESS");
    expect((await h.call("GET", `/api/letters/${letter.id}`, { token: officerA.token })).status).toBe(200);

    // The consumer tried and failed at least twice; nothing was delivered meanwhile.
    await waitUntil(() => h.handlerCalls() >= calls + 2);
    expect(about(officerA.email, letter.reference)).toEqual([]);

    h.mailbox.setFailing(false);
    await h.delivered();
    expect(about(officerA.email, letter.reference).map((m) => m.subject)).toEqual([`Barua mpya ya kushughulikia: ${letter.reference}`]);
    expect(await h.failedBatches()).toEqual([]);
  });

  it("puts the event on the failed-mail list after the last attempt, without blocking later mail", async () => {
    h.mailbox.setFailing(true);
    const letter = await h.register(officerB);
    await h.delivered(); // all attempts made
    expect(about(officerB.email, letter.reference)).toEqual([]);
    const failed = await h.failedBatches();
    expect(failed).toHaveLength(1);
    const keys = failed[0]?.records.map((r) => `${r.dynamodb?.Keys?.pk?.S} ${r.dynamodb?.Keys?.sk?.S}`);
    expect(keys).toContain(`AGENCY#${h.demo.agencyId}#LETTER#${letter.id} EVENT#000001`);

    // The stream moved on: the next event is mailed as soon as the service is back.
    h.mailbox.setFailing(false);
    const next = await h.register(officerB);
    await h.delivered();
    expect(about(officerB.email, next.reference)).toHaveLength(1);
    expect(about(officerB.email, letter.reference)).toEqual([]);
  });

  it("counts digests it could not send, and sends them on the next run of the day", async () => {
    const letter = await h.register(officerA);
    await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.now() + 4 * 86_400_000), timezone: "Africa/Dar_es_Salaam" });
    await h.delivered();
    const digest = await import("../../../functions/scheduled/overdue-digest");
    const digests = () => h.mailsTo(officerA.email).filter((m) => /^Barua zilizochelewa/.test(m.subject));

    h.mailbox.setFailing(true);
    const failed = await digest.runDigest({ allAgencies: true });
    expect(failed.failed).toBeGreaterThanOrEqual(2); // officer A and the supervisor at least
    expect(failed.sent).toBe(0);
    // As the scheduler's target, the run fails, so it is retried and finally dead-lettered.
    await expect(digest.handler({ agencyId: h.demo.agencyId })).rejects.toThrow(/could not be sent/);
    expect(digests()).toEqual([]);

    h.mailbox.setFailing(false);
    const recovered = await digest.runDigest({ allAgencies: true });
    expect(recovered).toMatchObject({ failed: 0, sent: failed.failed });
    expect(digests()).toHaveLength(1);
  });
});
