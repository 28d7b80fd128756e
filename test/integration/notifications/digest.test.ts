import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SESv2Client } from "@aws-sdk/client-sesv2";
import { SesMailer } from "../../../functions/notifications/mailer";
import { localDate } from "../../../functions/core/notifications";
import { DIGEST_LEASE_MS, createOverdueDigest } from "../../../functions/scheduled/digest";
import { SentMailStore, type ClaimOutcome, type MailMarker } from "../../../functions/store/sent-mail";
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
const TIMEZONE = "Africa/Dar_es_Salaam";
/** Noon (local) `days` after the digest's day: a day of its own, so its digest markers start fresh. */
const noonAfter = (days: number) => new Date(`${localDate(new Date(digestDay.getTime() + days * DAY), TIMEZONE)}T12:00:00+03:00`);
/** Digests of one local day. */
const digestsOn = (email: string, at: Date) => digestsTo(email).filter((m) => m.subject.includes(localDate(at, TIMEZONE)));

/** The mailer and stores the job is built with; `now` and `sentMail` vary per test. */
const digestWith = (options: { now: () => Date; sentMail?: SentMailStore }) =>
  createOverdueDigest({
    directory: h.directory,
    letters: h.letters,
    sentMail: options.sentMail ?? new SentMailStore(h.doc, h.tables.directory),
    mailer: new SesMailer(ses, "Ofisi Mtandao <no-reply@ofisi.go.tz>"),
    appUrl: APP_URL,
    now: options.now,
  });

/**
 * A marker store whose claims wait until the other run claims the same marker, so two runs
 * race for every claim at the very same moment (not one after the other finished).
 */
class RacingSentMail extends SentMailStore {
  constructor(
    private readonly gate: Map<string, () => void>,
    ...args: ConstructorParameters<typeof SentMailStore>
  ) {
    super(...args);
  }

  override async claim(agencyId: string, marker: MailMarker, options: { now: Date; leaseMs: number }): Promise<ClaimOutcome> {
    const key = SentMailStore.key(agencyId, marker).sk;
    const other = this.gate.get(key);
    if (other) {
      this.gate.delete(key);
      other();
    } else {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the other run never claimed ${key}`)), 10_000);
        this.gate.set(key, () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return super.claim(agencyId, marker, options);
  }
}

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

  it("sends each person exactly one digest when two runs start at once on a day nobody had one yet", async () => {
    const day = noonAfter(1);
    for (const person of [officerA, officerB, supervisor]) expect(digestsOn(person.email, day)).toEqual([]);
    const gate = new Map<string, () => void>();
    const runs = [0, 1].map(() => digestWith({ now: () => day, sentMail: new RacingSentMail(gate, h.doc, h.tables.directory) }));
    const summaries = await Promise.all(runs.map((run) => run.runOne(h.demo.agencyId)));
    // Every claim was contested: one run sent each digest, the other found it taken.
    expect(summaries.reduce((n, s) => n + s.sent, 0)).toBe(3);
    expect(summaries.reduce((n, s) => n + s.skipped, 0)).toBe(3);
    expect(summaries.reduce((n, s) => n + s.failed, 0)).toBe(0);
    for (const person of [officerA, officerB, supervisor]) expect(digestsOn(person.email, day), person.email).toHaveLength(1);
  });

  it("lets the next run take over a claim left by a run that died mid-send once the one-minute lease is over", async () => {
    const claimedAt = noonAfter(2);
    let now = claimedAt;
    const run = digestWith({ now: () => now });
    // What a run that claimed officer A's digest and then died leaves behind.
    const sentMail = new SentMailStore(h.doc, h.tables.directory);
    const marker = { kind: "digest", userId: officerA.id, date: localDate(claimedAt, TIMEZONE) } as const;
    expect(await sentMail.claim(h.demo.agencyId, marker, { now: claimedAt, leaseMs: DIGEST_LEASE_MS })).toMatchObject({ claimed: true });

    // Within the lease: the claim might still be sending, so A is left alone; the others get theirs.
    now = new Date(claimedAt.getTime() + 30_000);
    expect(await run.runOne(h.demo.agencyId)).toMatchObject({ sent: 2, skipped: 1, failed: 0 });
    expect(digestsOn(officerA.email, claimedAt)).toEqual([]);

    // A retry a minute later (Lambda retries after about 1 and 3 minutes) takes the claim over.
    now = new Date(claimedAt.getTime() + 61_000);
    expect(await run.runOne(h.demo.agencyId)).toMatchObject({ sent: 1, skipped: 2, failed: 0 });
    for (const person of [officerA, officerB, supervisor]) expect(digestsOn(person.email, claimedAt), person.email).toHaveLength(1);
    expect(DIGEST_LEASE_MS).toBeLessThanOrEqual(60_000);
  });

  it("puts the overdue letters of a deactivated officer in their supervisor's department section, and mails the officer nothing", async () => {
    const day = noonAfter(3);
    const leaver = await h.addPerson({ agencyId: h.demo.agencyId, email: "officer.z@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId, supervisorId: supervisor.id });
    const letter = await h.register(leaver, { subject: "Barua ya aliyeondoka", dueInDays: 1 });
    await h.letters.markOverdue(h.demo.agencyId, letter.id, { now: digestDay, timezone: TIMEZONE });
    await h.directory.updateUser(h.demo.agencyId, leaver.id, { active: false });

    const summary = await digestWith({ now: () => day }).runOne(h.demo.agencyId);
    // The supervisor and the two active officers: the leaver is not a recipient.
    expect(summary.agencies).toMatchObject([{ agencyCode: "DEMO", recipients: 3, sent: 3, failed: 0 }]);
    const [mail] = digestsOn(supervisor.email, day);
    expect(mail?.text).toContain("Barua zilizochelewa katika idara yako (4)");
    expect(mail?.text).toContain(`${letter.reference}: Barua ya aliyeondoka`);
    expect(mail?.text).toContain("Iko kwa officer.z");
    expect(digestsTo(leaver.email)).toEqual([]);
    // Nobody else is told of it.
    for (const person of [officerA, officerB]) expect(digestsOn(person.email, day)[0]?.text, person.email).not.toContain(letter.reference);
  });

  it("takes the scheduler's input as the Lambda entry receives it", async () => {
    const { DigestInput } = await import("../../../functions/scheduled/overdue-digest");
    expect(DigestInput.safeParse({ agencyId: h.demo.agencyId }).success).toBe(true);
    expect(DigestInput.safeParse({ allAgencies: true }).success).toBe(true);
    // The 15-minute sweep's input is gone, and so is a run of nothing in particular.
    expect(DigestInput.safeParse({ scheduledTime: "2026-03-10T04:00:00Z" }).success).toBe(false);
    expect(DigestInput.safeParse({}).success).toBe(false);
    expect(DigestInput.safeParse({ allAgencies: false }).success).toBe(false);
    expect(DigestInput.safeParse({ agencyId: h.demo.agencyId, extra: 1 }).success).toBe(false);
  });
});
