import { marshall } from "@aws-sdk/util-dynamodb";
import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timerNotice } from "../../../functions/core/letter-timers";
import type { Person } from "../letters/harness";
import { APP_URL, startNotificationsHarness, type NotificationsHarness } from "./harness";

/** History events of letters reach the people they concern by email, in each person's language. */

let h: NotificationsHarness;
let registry: Person;
let supervisor: Person;
let officerA: Person;
let officerB: Person;

beforeAll(async () => {
  h = await startNotificationsHarness("notices");
  ({ registry, supervisor, officerA, officerB } = await h.people());
  // Officer B reads English; everyone else keeps the default, Kiswahili.
  await h.directory.updateUser(h.demo.agencyId, officerB.id, { language: "en" });
}, 60_000);

afterAll(async () => {
  await h?.stop();
});

/** Mails to a person about one letter, newest first (the seed's own letters make mail too). */
const about = (email: string, reference: string) => h.mailsTo(email).filter((m) => m.subject.includes(reference));
const subjects = (email: string, reference: string) => about(email, reference).map((m) => m.subject);

describe("notices of the letter workflow", () => {
  it("mails each notice kind to the person it concerns, in their language, with a link to the letter", async () => {
    const letter = await h.register(officerA, { subject: "Ombi la kibali cha ujenzi" });
    await h.delivered();
    const [newLetter] = about(officerA.email, letter.reference);
    expect(newLetter?.subject).toBe(`Barua mpya ya kushughulikia: ${letter.reference}`);
    expect(newLetter?.text).toContain("Rehema Masjala amekutumia barua ya kushughulikia.");
    expect(newLetter?.text).toContain(`${APP_URL}/letters/${letter.id}`);
    expect(newLetter?.html).toContain(`href="${APP_URL}/letters/${letter.id}"`);

    // Forwarded to an officer who reads English.
    await h.act(officerA, letter, "forward", { to: officerB.id });
    await h.delivered();
    expect(subjects(officerB.email, letter.reference)).toEqual([`New letter for action: ${letter.reference}`]);

    // Re-assigned back by the registry, with the reason.
    await h.act(registry, letter, "reassign", { to: officerA.id, reason: "Imetumwa kwa afisa asiyehusika" });
    await h.delivered();
    const reassigned = about(officerA.email, letter.reference)[0];
    expect(reassigned?.subject).toBe(`Barua imehamishiwa kwako: ${letter.reference}`);
    expect(reassigned?.text).toContain("Sababu: Imetumwa kwa afisa asiyehusika");

    // Submitted: the supervisor is asked to approve; rejected: the officer is told why.
    await h.act(officerA, letter, "accept");
    await h.act(officerA, letter, "submit");
    await h.delivered();
    expect(subjects(supervisor.email, letter.reference)).toEqual([`Barua inasubiri idhini yako: ${letter.reference}`]);
    await h.act(supervisor, letter, "reject", { note: "Ambatisha ramani ya kiwanja" });
    await h.delivered();
    const rejected = about(officerA.email, letter.reference)[0];
    expect(rejected?.subject).toBe(`Barua haikuidhinishwa: ${letter.reference}`);
    expect(rejected?.text).toContain("Maelezo: Ambatisha ramani ya kiwanja");

    // The workflow's timer: overdue mark and reminder to the officer, escalation to the supervisor.
    const later = new Date(Date.now() + 5 * 86_400_000);
    expect(await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: later, timezone: "Africa/Dar_es_Salaam" })).not.toBeNull();
    for (const action of ["escalate", "remind"] as const) {
      await h.letters.apply(h.demo.agencyId, letter.id, {
        actorId: "system",
        timezone: "Africa/Dar_es_Salaam",
        decide: (current) => timerNotice(current, action, later, supervisor.id),
      });
    }
    await h.delivered();
    expect(subjects(officerA.email, letter.reference).slice(0, 2)).toEqual([`Barua imechelewa: ${letter.reference}`, `Barua imechelewa: ${letter.reference}`]);
    const escalation = about(supervisor.email, letter.reference)[0];
    expect(escalation?.subject).toBe(`Barua iliyochelewa kwa Amina Afisa: ${letter.reference}`);
    expect(escalation?.text).toContain(`${APP_URL}/letters/${letter.id}`);

    // Nothing else went out: not for accepting, and not to the registry, who acted.
    expect(about(registry.email, letter.reference)).toEqual([]);
    expect(about(officerA.email, letter.reference)).toHaveLength(5);
    expect(about(supervisor.email, letter.reference)).toHaveLength(2);
  });

  it("tells nobody of their own action", async () => {
    const own = await h.register(officerB, { by: officerB, subject: "Kumbukumbu ya ndani" });
    await h.delivered();
    expect(about(officerB.email, own.reference)).toEqual([]);
  });

  it("sends a redelivered event once", async () => {
    const letter = await h.register(officerB);
    await h.delivered();
    expect(subjects(officerB.email, letter.reference)).toEqual([`New letter for action: ${letter.reference}`]);
    const count = h.mailsTo(officerB.email).length;

    // The event source mapping delivers at least once: hand the consumer the same record again.
    const item = await h.getItem("letters", `AGENCY#${h.demo.agencyId}#LETTER#${letter.id}`, "EVENT#000001");
    expect(item).toBeDefined();
    const image = marshall(item ?? {}, { removeUndefinedValues: true }) as Record<string, LambdaAttributeValue>;
    const record: DynamoDBRecord = {
      eventName: "INSERT",
      dynamodb: { Keys: { pk: image.pk!, sk: image.sk! }, NewImage: image, SequenceNumber: "1" },
    };
    const { handler } = await import("../../../functions/streams/notifications");
    expect(await handler({ Records: [record, record] })).toEqual({ batchItemFailures: [] });
    expect(h.mailsTo(officerB.email)).toHaveLength(count);
  });
});

describe("notification preferences", () => {
  it("lets a user turn off an optional notice in their profile; overdue reminders still arrive", async () => {
    const initial = await h.call("GET", "/api/me/notifications", { token: officerA.token });
    expect(initial).toMatchObject({
      status: 200,
      body: { notifications: { newLetter: true, reassigned: true, approvalRequested: true, rejected: true }, essential: ["overdue", "escalation"] },
    });
    const off = await h.call("PATCH", "/api/me", { token: officerA.token, body: { notifications: { newLetter: false } } });
    expect(off.status).toBe(200);
    expect((await h.call("GET", "/api/me/notifications", { token: officerA.token })).body).toMatchObject({ notifications: { newLetter: false, rejected: true } });
    // An essential kind cannot be turned off, and nothing is changed by the attempt.
    const refused = await h.call("PATCH", "/api/me", { token: officerA.token, body: { notifications: { overdue: false, rejected: false } } });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED" } } });
    expect((await h.call("GET", "/api/me/notifications", { token: officerA.token })).body).toMatchObject({ notifications: { rejected: true } });

    const letter = await h.register(officerA);
    await h.delivered();
    expect(about(officerA.email, letter.reference)).toEqual([]);

    await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: new Date(Date.now() + 4 * 86_400_000), timezone: "Africa/Dar_es_Salaam" });
    await h.delivered();
    expect(subjects(officerA.email, letter.reference)).toEqual([`Barua imechelewa: ${letter.reference}`]);

    // Turned on again, the notice comes back; another person's choice is theirs alone.
    await h.call("PATCH", "/api/me", { token: officerA.token, body: { notifications: { newLetter: true } } });
    const again = await h.register(officerA);
    await h.delivered();
    expect(subjects(officerA.email, again.reference)).toEqual([`Barua mpya ya kushughulikia: ${again.reference}`]);
  });
});
