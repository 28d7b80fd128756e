import { describe, expect, it } from "vitest";
import {
  buildDigests,
  daysOverdue,
  effectivePreferences,
  localDate,
  noticeFor,
  wantsNotice,
  type DigestPerson,
  type OverdueLetter,
} from "../../../functions/core/notifications";
import { NotificationPreferencesSchema } from "../../../functions/core/directory-schemas";

const facts = { approverId: null, assigneeSupervisorId: "sup" };

describe("who is told of an event", () => {
  it("tells the new assignee of a registration, a forward and a re-assignment", () => {
    expect(noticeFor({ action: "register", actorId: "reg", assigneeId: "a" }, facts)).toEqual({ kind: "newLetter", recipientId: "a" });
    expect(noticeFor({ action: "forward", actorId: "a", assigneeId: "b" }, facts)).toEqual({ kind: "newLetter", recipientId: "b" });
    expect(noticeFor({ action: "reassign", actorId: "reg", assigneeId: "b" }, facts)).toEqual({ kind: "reassigned", recipientId: "b" });
  });

  it("tells the approver of a submission and the officer of a rejection", () => {
    expect(noticeFor({ action: "submit", actorId: "a", assigneeId: "a" }, { approverId: "boss", assigneeSupervisorId: "sup" })).toEqual({
      kind: "approvalRequested",
      recipientId: "boss",
    });
    // When the letter has moved on, the approver was the assignee's supervisor.
    expect(noticeFor({ action: "submit", actorId: "a", assigneeId: "a" }, facts)).toEqual({ kind: "approvalRequested", recipientId: "sup" });
    expect(noticeFor({ action: "reject", actorId: "sup", assigneeId: "a" }, facts)).toEqual({ kind: "rejected", recipientId: "a" });
  });

  it("tells the assignee of overdue marks and reminders, and the named supervisor of an escalation", () => {
    expect(noticeFor({ action: "markOverdue", actorId: "system", assigneeId: "a" }, facts)).toEqual({ kind: "overdue", recipientId: "a" });
    expect(noticeFor({ action: "remind", actorId: "system", assigneeId: "a" }, facts)).toEqual({ kind: "overdue", recipientId: "a" });
    expect(noticeFor({ action: "escalate", actorId: "system", assigneeId: "a", recipientId: "head" }, facts)).toEqual({
      kind: "escalation",
      recipientId: "head",
    });
    expect(noticeFor({ action: "escalate", actorId: "system", assigneeId: "a" }, { approverId: null, assigneeSupervisorId: null })).toBeNull();
  });

  it("tells nobody of their own action, nor of actions that need no mail", () => {
    expect(noticeFor({ action: "register", actorId: "a", assigneeId: "a" }, facts)).toBeNull();
    for (const action of ["accept", "minute", "approve", "complete", "extend", "toString", "constructor"]) {
      expect(noticeFor({ action, actorId: "x", assigneeId: "a" }, facts), action).toBeNull();
    }
  });
});

describe("notification preferences", () => {
  it("lets optional kinds be turned off, never overdue reminders or escalations", () => {
    const prefs = { newLetter: false, rejected: true };
    expect(wantsNotice(prefs, "newLetter")).toBe(false);
    expect(wantsNotice(prefs, "rejected")).toBe(true);
    expect(wantsNotice(prefs, "reassigned")).toBe(true);
    expect(wantsNotice(undefined, "approvalRequested")).toBe(true);
    // Stored junk for an essential kind changes nothing.
    expect(wantsNotice({ ...prefs, overdue: false } as never, "overdue")).toBe(true);
    expect(effectivePreferences(prefs)).toEqual({ newLetter: false, reassigned: true, approvalRequested: true, rejected: true });
  });

  it("refuses to turn off an essential kind, unknown kinds and an empty change", () => {
    expect(NotificationPreferencesSchema.safeParse({ newLetter: false }).success).toBe(true);
    expect(NotificationPreferencesSchema.safeParse({ overdue: true }).success).toBe(true);
    const off = NotificationPreferencesSchema.safeParse({ escalation: false });
    expect(off.success).toBe(false);
    expect(off.error?.issues[0]?.message).toMatch(/essential/);
    expect(NotificationPreferencesSchema.safeParse({ digest: false }).success).toBe(false);
    expect(NotificationPreferencesSchema.safeParse({ newLetter: "no" }).success).toBe(false);
    expect(NotificationPreferencesSchema.safeParse({}).success).toBe(false);
  });
});

describe("the daily digest", () => {
  const now = new Date("2026-03-10T04:00:00Z");
  const person = (id: string, extra: Partial<DigestPerson> = {}): DigestPerson => ({
    id,
    name: id.toUpperCase(),
    email: `${id}@demo.go.tz`,
    language: "sw",
    roles: ["officer"],
    departmentId: "adm",
    supervisorId: "sup",
    ...extra,
  });
  const letter = (id: string, assigneeId: string, dueAt: string, departmentId: string | null = "adm"): OverdueLetter => ({
    id,
    reference: `DEMO/ADM/2026/${id}`,
    subject: `Barua ${id}`,
    dueAt,
    assigneeId,
    departmentId,
  });
  const people = [
    person("a"),
    person("b"),
    person("idle"),
    person("sup", { roles: ["supervisor", "officer"], supervisorId: null }),
    person("other", { departmentId: "fin", supervisorId: "boss2" }),
    person("boss2", { roles: ["supervisor"], departmentId: "fin", supervisorId: null }),
  ];
  const overdue = [
    letter("0001", "a", "2026-03-09T05:00:00Z"),
    letter("0002", "a", "2026-03-05T05:00:00Z"),
    letter("0003", "b", "2026-03-08T05:00:00Z"),
    letter("0004", "sup", "2026-03-09T05:00:00Z"),
    letter("0005", "other", "2026-03-09T05:00:00Z", "fin"),
  ];

  it("gives each officer their own overdue letters, most overdue first, and nobody an empty digest", () => {
    const digests = buildDigests(people, overdue, now);
    const a = digests.find((d) => d.recipient.id === "a");
    expect(a?.own.map((e) => [e.reference, e.daysOverdue])).toEqual([
      ["DEMO/ADM/2026/0002", 5],
      ["DEMO/ADM/2026/0001", 1],
    ]);
    expect(a?.department).toEqual([]);
    expect(digests.map((d) => d.recipient.id).sort()).toEqual(["a", "b", "boss2", "other", "sup"]);
    expect(digests.every((d) => d.own.length + d.department.length > 0)).toBe(true);
  });

  it("gives a supervisor one digest with their own letters and the department's, naming who holds each", () => {
    const sup = buildDigests(people, overdue, now).find((d) => d.recipient.id === "sup");
    expect(sup?.own.map((e) => e.reference)).toEqual(["DEMO/ADM/2026/0004"]);
    expect(sup?.department.map((e) => [e.reference, e.assigneeName])).toEqual([
      ["DEMO/ADM/2026/0002", "A"],
      ["DEMO/ADM/2026/0003", "B"],
      ["DEMO/ADM/2026/0001", "A"],
    ]);
    const boss2 = buildDigests(people, overdue, now).find((d) => d.recipient.id === "boss2");
    expect(boss2?.own).toEqual([]);
    expect(boss2?.department.map((e) => e.reference)).toEqual(["DEMO/ADM/2026/0005"]);
  });

  it("sends a deactivated officer nothing, and their overdue letters to their supervisor, under their name", () => {
    const gone = person("gone", { active: false, departmentId: "fin", supervisorId: "sup" });
    const held = letter("0006", "gone", "2026-03-07T05:00:00Z", "fin");
    const digests = buildDigests([...people, gone], [...overdue, held], now);
    expect(digests.map((d) => d.recipient.id)).not.toContain("gone");
    // Not of sup's department, but held by someone sup supervises.
    expect(digests.find((d) => d.recipient.id === "sup")?.department.find((e) => e.letterId === "0006")).toMatchObject({ assigneeName: "GONE", daysOverdue: 3 });
    // Also the fin department's supervisor.
    expect(digests.find((d) => d.recipient.id === "boss2")?.department.map((e) => e.letterId)).toEqual(["0006", "0005"]);
  });

  it("counts a started day as a day overdue", () => {
    expect(daysOverdue("2026-03-10T03:00:00Z", now)).toBe(1);
    expect(daysOverdue("2026-03-09T04:00:00Z", now)).toBe(1);
    expect(daysOverdue("2026-03-09T03:59:00Z", now)).toBe(2);
  });

  it("dates the digest in the agency's timezone", () => {
    expect(localDate(new Date("2026-03-09T22:30:00Z"), "Africa/Dar_es_Salaam")).toBe("2026-03-10");
    expect(localDate(new Date("2026-03-09T22:30:00Z"), "UTC")).toBe("2026-03-09");
  });
});
