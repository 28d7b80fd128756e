import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SesMailer } from "../../../functions/notifications/mailer";
import { createOverdueDigest } from "../../../functions/scheduled/digest";
import { SentMailStore } from "../../../functions/store/sent-mail";
import type { Person } from "../letters/harness";
import { LOCAL_AWS } from "../support/engines";
import { APP_URL, startNotificationsHarness, type NotificationsHarness } from "./harness";

/**
 * The daily overdue digest against DynamoDB Local and the local mailbox: one email per person with
 * overdue letters (reference, subject, days overdue, link), one department email per supervisor,
 * nobody an empty one, and nobody two on one day, however often the job runs.
 */

let h: NotificationsHarness;
let registry: Person;
let supervisor: Person;
let officerA: Person;
let officerB: Person;
let admin: Person;
let digest: ReturnType<typeof createOverdueDigest>;
let ses: SESv2Client;
const refs: Record<string, string> = {};
const digestsTo = (email: string) => h.mailsTo(email).filter((m) => /^(Barua zilizochelewa|Overdue letters on)/.test(m.subject));
const DAY = 86_400_000;
/** The digest's clock: six days from now, when the letters below are overdue. */
const digestDay = new Date(Date.now() + 6 * DAY);

beforeAll(async () => {
  // No consumer here: only the digest sends mail.
  h = await startNotificationsHarness("digest", { consumer: false });
  ({ registry, supervisor, officerA, officerB, admin } = await h.people());
  await h.directory.updateUser(h.demo.agencyId, officerB.id, { language: "en" });
  const overdue = async (person: Person, subject: string, dueInDays: number) => {
    const letter = await h.register(person, { subject, dueInDays });
    // The workflow's timer marks it overdue once its due date passed.
    await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: digestDay, timezone: "Africa/Dar_es_Salaam" });
    refs[subject] = letter.reference;
  };
  await overdue(officerA, "Ombi la likizo <dharura>", 4); // 2 days overdue on the digest's day
  await overdue(officerA, "Taarifa ya robo mwaka", 1); // 5 days
  await overdue(officerB, "Mkataba wa usafi", 5); // 1 day
  // Open but not overdue: in nobody's digest.
  refs.onTime = (await h.register(officerB, { subject: "Barua ya wakati", dueInDays: 30 })).reference;
  ses = new SESv2Client({ ...LOCAL_AWS, endpoint: h.mailbox.endpoint, maxAttempts: 1 });
  digest = createOverdueDigest({
    directory: h.directory,
    letters: h.letters,
    sentMail: new SentMailStore(h.doc, h.tables.directory),
    mailer: new SesMailer(ses, "Ofisi Mtandao <no-reply@ofisi.go.tz>"),
    appUrl: APP_URL,
    now: () => digestDay,
  });
}, 60_000);

afterAll(async () => {
  ses?.destroy();
  await h?.stop();
});

describe("the overdue digest", () => {
  it("mails each officer one digest of their own overdue letters, in their language, with links", async () => {
    const summary = await digest.runAll();
    const demo = summary.agencies.find((a) => a.agencyCode === "DEMO");
    expect(demo).toMatchObject({ recipients: 3, sent: 3, skipped: 0, failed: 0 });

    const [a] = digestsTo(officerA.email);
    expect(digestsTo(officerA.email)).toHaveLength(1);
    expect(a?.subject).toMatch(/^Barua zilizochelewa \d{4}-\d{2}-\d{2}: 2$/);
    expect(a?.text).toContain(`${refs["Taarifa ya robo mwaka"]}: Taarifa ya robo mwaka`);
    expect(a?.text).toContain("imechelewa siku 5");
    expect(a?.text).toContain("imechelewa siku 2");
    // Most overdue first.
    const text = a?.text ?? "";
    expect(text.indexOf("Taarifa ya robo mwaka")).toBeLessThan(text.indexOf("Ombi la likizo"));
    expect(a?.text).toMatch(new RegExp(`${APP_URL}/letters/[0-9a-f-]+`));
    expect(a?.html).toContain("Ombi la likizo &lt;dharura&gt;");
    expect(a?.text).not.toContain("Mkataba wa usafi");

    const [b] = digestsTo(officerB.email);
    expect(b?.subject).toMatch(/^Overdue letters on \d{4}-\d{2}-\d{2}: 1$/);
    expect(b?.text).toContain("1 day overdue");
    expect(b?.text).not.toContain(refs.onTime);
  });

  it("mails the supervisor one department digest naming who holds each letter", () => {
    const mails = digestsTo(supervisor.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.text).toContain("Barua zilizochelewa katika idara yako (3)");
    for (const subject of ["Ombi la likizo <dharura>", "Taarifa ya robo mwaka", "Mkataba wa usafi"]) expect(mails[0]?.text).toContain(refs[subject]);
    expect(mails[0]?.text).toContain("Iko kwa Amina Afisa");
    expect(mails[0]?.text).toContain("Iko kwa Baraka Afisa");
  });

  it("sends nobody an empty digest", () => {
    expect(digestsTo(registry.email)).toEqual([]);
    expect(digestsTo(admin.email)).toEqual([]);
    expect(digestsTo("operator@ofisi.go.tz")).toEqual([]);
  });

  it("sends a person at most one digest a day, even when the job runs twice at once", async () => {
    const runs = await Promise.all([digest.runAll(), digest.runOne(h.demo.agencyId)]);
    for (const run of runs) expect(run.sent).toBe(0);
    expect(runs.reduce((n, r) => n + r.skipped, 0)).toBe(6);
    for (const person of [officerA, officerB, supervisor]) expect(digestsTo(person.email)).toHaveLength(1);
  });

  it("runs an agency from the cloud's sweep only in the window of its digest time, in its timezone", async () => {
    // The demo agency's digest time is 07:00 in Africa/Dar_es_Salaam (UTC+3): the 04:00 UTC tick.
    const miss = await digest.runDue(new Date("2026-03-10T05:00:00Z"), 15);
    expect(miss.agencies.map((a) => a.agencyCode)).not.toContain("DEMO");
    const hit = await digest.runDue(new Date("2026-03-10T04:00:00Z"), 15);
    expect(hit.agencies.map((a) => a.agencyCode)).toContain("DEMO");
    // The day's digests went out already.
    expect(hit.sent).toBe(0);
  });

  it("takes the scheduler's input as the Lambda entry receives it", async () => {
    const { DigestInput } = await import("../../../functions/scheduled/overdue-digest");
    expect(DigestInput.safeParse({ scheduledTime: "2026-03-10T04:00:00Z" }).success).toBe(true);
    expect(DigestInput.safeParse({ agencyId: h.demo.agencyId }).success).toBe(true);
    expect(DigestInput.safeParse({ allAgencies: true }).success).toBe(true);
    expect(DigestInput.safeParse({ scheduledTime: "yesterday" }).success).toBe(false);
    expect(DigestInput.safeParse({ agencyId: h.demo.agencyId, extra: 1 }).success).toBe(false);
  });
});
