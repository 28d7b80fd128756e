import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  calendarDays,
  dashboardOf,
  dashboardPeriod,
  emptyOpenCounts,
  handledTotals,
  isCalendarDate,
  monthsBetween,
  monthsForAnyTimezone,
  weekStart,
  type OfficerCounters,
} from "../../../functions/core/dashboard";

/** The dashboard's days, weeks (Monday first) and months are the agency's, in its time zone. */

const day = (handled: number) => ({ handled, heldSeconds: 0, late: 0, markedOverdue: 0 });

describe("calendar dates", () => {
  it("knows real dates from look-alikes", () => {
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(isCalendarDate("2026-13-01")).toBe(false);
    expect(isCalendarDate("2026-5-01")).toBe(false);
  });

  it("adds days across month and year ends", () => {
    expect(addCalendarDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addCalendarDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(calendarDays("2026-02-27", "2026-03-02")).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("starts weeks on Monday: a Sunday belongs to the week that began six days earlier", () => {
    expect(weekStart("2026-05-18")).toBe("2026-05-18"); // Monday
    expect(weekStart("2026-05-24")).toBe("2026-05-18"); // Sunday
    expect(weekStart("2026-05-20")).toBe("2026-05-18"); // Wednesday
    expect(weekStart("2026-06-03")).toBe("2026-06-01");
    expect(weekStart("2027-01-02")).toBe("2026-12-28"); // a week across the new year
  });

  it("lists the months a range touches", () => {
    expect(monthsBetween("2026-11-15", "2027-02-01")).toEqual(["2026-11", "2026-12", "2027-01", "2027-02"]);
    expect(monthsBetween("2026-05-01", "2026-05-31")).toEqual(["2026-05"]);
  });
});

describe("dashboard periods in the agency's time zone", () => {
  it("counts 22:30 UTC on a Sunday as Monday in Dar es Salaam (UTC+3), a new week", () => {
    const now = new Date("2026-05-17T22:30:00Z"); // Sunday in UTC
    const dar = dashboardPeriod(now, "Africa/Dar_es_Salaam");
    expect(dar.today).toBe("2026-05-18");
    expect(dar.weekStart).toBe("2026-05-18");
    const utc = dashboardPeriod(now, "UTC");
    expect(utc.today).toBe("2026-05-17");
    expect(utc.weekStart).toBe("2026-05-11");
  });

  it("counts 02:00 UTC on the 1st as the previous month's last day west of Greenwich", () => {
    const now = new Date("2026-07-01T02:00:00Z");
    expect(dashboardPeriod(now, "America/New_York").monthStart).toBe("2026-06-01");
    expect(dashboardPeriod(now, "Africa/Dar_es_Salaam").monthStart).toBe("2026-07-01");
  });

  it("has 30 consecutive days ending today, and the months they and the week need", () => {
    const period = dashboardPeriod(new Date("2026-03-10T09:00:00Z"), "Africa/Dar_es_Salaam");
    expect(period.days).toHaveLength(30);
    expect(period.days[0]).toBe("2026-02-09");
    expect(period.days[29]).toBe("2026-03-10");
    expect(period.months).toEqual(["2026-02", "2026-03"]);
  });

  it("reads a month's first day even when it is 30 days back (on the 31st)", () => {
    const period = dashboardPeriod(new Date("2026-05-31T09:00:00Z"), "Africa/Dar_es_Salaam");
    expect(period.days[0]).toBe("2026-05-02");
    expect(period.monthStart).toBe("2026-05-01");
    expect(period.months).toEqual(["2026-05"]);
  });

  it("reads, before the time zone is known, every month any zone may need", () => {
    // 1 July 05:00 UTC: still 30 June at UTC-12; 30 days back reaches May everywhere.
    const now = new Date("2026-07-01T05:00:00Z");
    const months = monthsForAnyTimezone(now);
    for (const zone of ["Etc/GMT+12", "America/New_York", "UTC", "Africa/Dar_es_Salaam", "Pacific/Kiritimati"]) {
      for (const month of dashboardPeriod(now, zone).months) expect(months).toContain(month);
    }
    expect(months.length).toBeLessThanOrEqual(3);
  });
});

describe("dashboard sums", () => {
  const counters: OfficerCounters = {
    open: { ...emptyOpenCounts(), forAction: 2, overdue: 1 },
    days: { "2026-04-30": day(5), "2026-05-01": day(1), "2026-05-17": day(2), "2026-05-18": day(3), "2026-05-19": day(4) },
  };

  it("adds up today, the week since Monday and the month since the 1st", () => {
    // Tuesday 19 May 2026, 10:00 in Dar es Salaam.
    const d = dashboardOf(counters, dashboardPeriod(new Date("2026-05-19T07:00:00Z"), "Africa/Dar_es_Salaam"));
    expect(d.handled).toEqual({ today: 4, week: 7, month: 10 });
    expect(d).toMatchObject({ forAction: 2, inProgress: 0, overdue: 1, awaitingApproval: 0 });
  });

  it("gives a daily series of 30 entries, zeros included, oldest first", () => {
    const d = dashboardOf(counters, dashboardPeriod(new Date("2026-05-19T07:00:00Z"), "Africa/Dar_es_Salaam"));
    expect(d.daily).toHaveLength(30);
    expect(d.daily[0]).toEqual({ date: "2026-04-20", handled: 0 });
    expect(d.daily.find((e) => e.date === "2026-04-30")).toEqual({ date: "2026-04-30", handled: 5 });
    expect(d.daily[29]).toEqual({ date: "2026-05-19", handled: 4 });
    expect(d.daily.reduce((sum, e) => sum + e.handled, 0)).toBe(15);
  });

  it("averages the time to handle over the range, and has no average with nothing handled", () => {
    const days = {
      "2026-05-01": { handled: 2, heldSeconds: 7200, late: 1, markedOverdue: 0 },
      "2026-05-02": { handled: 1, heldSeconds: 3600, late: 0, markedOverdue: 2 },
      "2026-06-01": { handled: 9, heldSeconds: 9, late: 9, markedOverdue: 9 },
    };
    expect(handledTotals(days, "2026-05-01", "2026-05-31")).toEqual({ handled: 3, averageHandleSeconds: 3600, overdue: 2, handledLate: 1 });
    expect(handledTotals(days, "2026-04-01", "2026-04-30")).toEqual({ handled: 0, averageHandleSeconds: null, overdue: 0, handledLate: 0 });
  });
});
