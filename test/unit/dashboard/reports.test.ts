import { describe, expect, it } from "vitest";
import { dashboardPeriod, emptyOpenCounts, type OfficerCounters } from "../../../functions/core/dashboard";
import type { User } from "../../../functions/core/directory";
import { RuleError } from "../../../functions/core/records";
import {
  departmentInScope,
  departmentRows,
  HandledReportQuerySchema,
  handledReportCsv,
  handledReportRows,
  reportRange,
} from "../../../functions/core/reports";

/** The supervisor's department view and the handled report, without DynamoDB. */

function user(id: string, name: string, overrides: Partial<User> = {}): User {
  return {
    id,
    agencyId: "AG",
    email: `${id.toLowerCase()}@demo.go.tz`,
    name,
    departmentId: "D1",
    roles: ["officer"],
    supervisorId: null,
    language: "sw",
    active: true,
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

function refusal(fn: () => unknown): string {
  try {
    fn();
    return "ok";
  } catch (error) {
    if (error instanceof RuleError) return error.code;
    throw error;
  }
}

describe("who sees which department", () => {
  it("a supervisor sees their own department only; an administrator any, or the whole agency in reports", () => {
    const supervisor = { roles: ["supervisor" as const], departmentId: "D1" };
    expect(departmentInScope(supervisor, undefined, true)).toBe("D1");
    expect(departmentInScope(supervisor, "D1", false)).toBe("D1");
    expect(refusal(() => departmentInScope(supervisor, "D2", false))).toBe("FORBIDDEN");
    const admin = { roles: ["admin" as const], departmentId: null };
    expect(departmentInScope(admin, "D2", false)).toBe("D2");
    expect(departmentInScope(admin, undefined, true)).toBeNull();
    expect(refusal(() => departmentInScope(admin, undefined, false))).toBe("VALIDATION_FAILED");
  });
});

describe("report range and query", () => {
  it("defaults to this month up to today, and refuses reversed or over-long ranges", () => {
    expect(reportRange({}, "2026-05-19")).toEqual({ from: "2026-05-01", to: "2026-05-19" });
    expect(reportRange({ from: "2026-04-10" }, "2026-05-19")).toEqual({ from: "2026-04-10", to: "2026-05-19" });
    expect(HandledReportQuerySchema.safeParse({ from: "2026-05-02", to: "2026-05-01" }).success).toBe(false);
    expect(HandledReportQuerySchema.safeParse({ from: "2025-01-01", to: "2026-05-01" }).success).toBe(false);
    expect(HandledReportQuerySchema.safeParse({ from: "2026-02-30" }).success).toBe(false);
    expect(HandledReportQuerySchema.safeParse({ format: "xml" }).success).toBe(false);
    expect(HandledReportQuerySchema.safeParse({ from: "2025-05-02", to: "2026-05-01", format: "csv" }).success).toBe(true);
  });
});

describe("rows", () => {
  const period = dashboardPeriod(new Date("2026-05-19T07:00:00Z"), "Africa/Dar_es_Salaam");
  const counters = new Map<string, OfficerCounters>([
    ["B", { open: { ...emptyOpenCounts(), forAction: 3, overdue: 1 }, days: { "2026-05-19": { handled: 2, heldSeconds: 5400, late: 1, markedOverdue: 0 } } }],
    ["R", { open: { ...emptyOpenCounts(), inProgress: 1 }, days: {} }],
  ]);
  const users = [
    user("B", "Baraka"),
    user("A", "Amina"),
    user("R", "Rehema", { roles: ["registry"] }),
    user("M", "Msimamizi", { roles: ["admin"] }),
    user("X", "Xavier", { active: false }),
  ];

  it("the department view has a row per officer by name, and anyone else who holds letters", () => {
    const rows = departmentRows(users, counters, period);
    expect(rows.map((r) => r.name)).toEqual(["Amina", "Baraka", "Rehema"]);
    expect(rows[1]).toMatchObject({ forAction: 3, overdue: 1, handled: { today: 2, week: 2, month: 2 } });
    expect(rows[0]).toMatchObject({ forAction: 0, inProgress: 0, handled: { today: 0, week: 0, month: 0 } });
  });

  it("the report averages the time to handle and writes CSV a spreadsheet cannot run", () => {
    const rows = handledReportRows(
      [...users, user("E", "=HYPERLINK(\"x\")", { departmentId: "D2" })],
      new Map([...counters, ["E", { open: emptyOpenCounts(), days: { "2026-05-02": { handled: 1, heldSeconds: 60, late: 0, markedOverdue: 2 } } }]]),
      new Map([
        ["D1", { name: "Utawala, Fedha" }],
        ["D2", { name: "Sheria" }],
      ]),
      { from: "2026-05-01", to: "2026-05-31" },
    );
    expect(rows.map((r) => r.officer)).toEqual(["=HYPERLINK(\"x\")", "Amina", "Baraka"]);
    expect(rows[2]).toMatchObject({ handled: 2, averageHandleSeconds: 2700, handledLate: 1, overdue: 0, department: "Utawala, Fedha" });
    expect(rows[1]).toMatchObject({ handled: 0, averageHandleSeconds: null });
    const csv = handledReportCsv(rows).split("\r\n");
    expect(csv[0]).toBe("officer,email,department,handled,average_time_to_handle_hours,overdue,handled_late");
    expect(csv[1]).toBe(`"'=HYPERLINK(""x"")",e@demo.go.tz,Sheria,1,0.02,2,0`);
    expect(csv[2]).toBe(`Amina,a@demo.go.tz,"Utawala, Fedha",0,,0,0`);
    expect(csv[3]).toBe(`Baraka,b@demo.go.tz,"Utawala, Fedha",2,0.75,0,1`);
    expect(csv[4]).toBe("");
  });
});
