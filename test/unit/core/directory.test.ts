import { describe, expect, it } from "vitest";
import { emailDomain, emailInDomains, isClockTime, isKnownTimezone, isValidSupervisor, selfLockoutField } from "../../../functions/core/directory";
import { AgencyCodeSchema, DomainSchema, EmailSchema, NameSchema, RoleListSchema, SettingsSchema } from "../../../functions/core/directory-schemas";

describe("addresses and domains", () => {
  it("normalises an address and finds its domain", () => {
    expect(EmailSchema.parse("  Asha.M@Demo.GO.tz ")).toBe("asha.m@demo.go.tz");
    expect(emailDomain("asha@Demo.go.tz")).toBe("demo.go.tz");
  });

  it.each(["asha", "asha@", "@demo.go.tz", "a b@demo.go.tz", "a@b@demo.go.tz", `${"a".repeat(250)}@demo.go.tz`])("refuses %s", (email) => {
    expect(EmailSchema.safeParse(email).success).toBe(false);
  });

  it("admits an address only in one of the agency's domains", () => {
    expect(emailInDomains("asha@demo.go.tz", ["ofisi.go.tz", "Demo.go.tz"])).toBe(true);
    expect(emailInDomains("asha@sub.demo.go.tz", ["demo.go.tz"])).toBe(false);
    expect(emailInDomains("asha@demo.go.tz.evil.com", ["demo.go.tz"])).toBe(false);
  });

  it("checks domain names", () => {
    expect(DomainSchema.parse("Demo.GO.tz")).toBe("demo.go.tz");
    for (const bad of ["demo", "-demo.go.tz", "demo..go.tz", "demo.go.tz/", "de mo.go.tz"]) expect(DomainSchema.safeParse(bad).success).toBe(false);
  });
});

describe("codes, names, roles", () => {
  it("takes agency codes of capitals and digits", () => {
    expect(AgencyCodeSchema.safeParse("TRA2").success).toBe(true);
    for (const bad of ["tra", "T", "2TRA", "TR-A", "TRAAAAAAAAAAAAAAA"]) expect(AgencyCodeSchema.safeParse(bad).success).toBe(false);
  });

  it("refuses empty names and control characters", () => {
    expect(NameSchema.safeParse("  ").success).toBe(false);
    expect(NameSchema.safeParse("Asha\u0000").success).toBe(false);
    expect(NameSchema.parse("  Asha Msimamizi ")).toBe("Asha Msimamizi");
  });

  it("needs at least one role, each once", () => {
    expect(RoleListSchema.safeParse([]).success).toBe(false);
    expect(RoleListSchema.safeParse(["officer", "officer"]).success).toBe(false);
    expect(RoleListSchema.safeParse(["officer", "boss"]).success).toBe(false);
    expect(RoleListSchema.safeParse(["officer", "supervisor"]).success).toBe(true);
  });
});

describe("settings", () => {
  const valid = { defaultDueDays: 7, reminderIntervalHours: 24, escalateAfterDays: 3, digestTime: "07:00", timezone: "Africa/Dar_es_Salaam" };

  it("accept a complete, valid set", () => {
    expect(SettingsSchema.parse(valid)).toEqual(valid);
  });

  it.each([
    ["defaultDueDays", 0],
    ["defaultDueDays", 2.5],
    ["reminderIntervalHours", "24"],
    ["escalateAfterDays", -1],
    ["digestTime", "7:00"],
    ["digestTime", "24:00"],
    ["timezone", "Nowhere/Else"],
    ["timezone", "../../etc/passwd"],
  ])("refuse %s = %s", (field, value) => {
    expect(SettingsSchema.safeParse({ ...valid, [field]: value }).success).toBe(false);
  });

  it("know time zones and clock times", () => {
    expect(isKnownTimezone("Africa/Nairobi")).toBe(true);
    expect(isKnownTimezone("UTC")).toBe(true);
    expect(isKnownTimezone("Mars/Olympus")).toBe(false);
    expect(isClockTime("23:59")).toBe(true);
    expect(isClockTime("23:60")).toBe(false);
  });
});

describe("changes to users", () => {
  it("keep an administrator from deactivating themself or dropping their own admin role", () => {
    expect(selfLockoutField("u1", "u1", { active: false })).toBe("active");
    expect(selfLockoutField("u1", "u1", { roles: ["officer"] })).toBe("roles");
    expect(selfLockoutField("u1", "u1", { roles: ["admin", "officer"], active: true })).toBeNull();
    expect(selfLockoutField("u1", "u2", { active: false, roles: ["officer"] })).toBeNull();
  });

  it("refuse a user as their own supervisor", () => {
    expect(isValidSupervisor("u1", "u1")).toBe(false);
    expect(isValidSupervisor("u1", "u2")).toBe(true);
    expect(isValidSupervisor("u1", null)).toBe(true);
  });
});
