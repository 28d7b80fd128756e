import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { nextDailyRun, startLocalScheduler, type DailySchedule, type LocalScheduler } from "../../../local/scheduler";

function recordingLogger() {
  const lines: { level: string; message: string; attributes: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, attributes: Record<string, unknown>) => void lines.push({ level, message, attributes });
  return { lines, logger: { info: at("info"), warn: at("warn"), error: at("error") } };
}

describe("next run of a daily schedule", () => {
  it("places 07:00 in Dar es Salaam at 04:00 UTC, the same day or the next", () => {
    expect(nextDailyRun("07:00", "Africa/Dar_es_Salaam", new Date("2026-03-02T01:00:00Z"))?.toISOString()).toBe("2026-03-02T04:00:00.000Z");
    expect(nextDailyRun("07:00", "Africa/Dar_es_Salaam", new Date("2026-03-02T04:00:00Z"))?.toISOString()).toBe("2026-03-03T04:00:00.000Z");
  });

  it("follows each timezone's offset, including half hours and daylight saving time", () => {
    expect(nextDailyRun("09:30", "Asia/Kolkata", new Date("2026-03-02T00:00:00Z"))?.toISOString()).toBe("2026-03-02T04:00:00.000Z");
    expect(nextDailyRun("07:00", "Africa/Lagos", new Date("2026-03-02T00:00:00Z"))?.toISOString()).toBe("2026-03-02T06:00:00.000Z");
    // New York moves to daylight time on 8 March 2026: 07:00 is 12:00 UTC before and 11:00 UTC after.
    expect(nextDailyRun("07:00", "America/New_York", new Date("2026-03-06T00:00:00Z"))?.toISOString()).toBe("2026-03-06T12:00:00.000Z");
    expect(nextDailyRun("07:00", "America/New_York", new Date("2026-03-09T00:00:00Z"))?.toISOString()).toBe("2026-03-09T11:00:00.000Z");
  });
});

describe("local scheduler", () => {
  let scheduler: LocalScheduler | undefined;

  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-03-02T03:59:58Z") });
  });

  afterEach(() => {
    scheduler?.stop();
    scheduler = undefined;
    vi.useRealTimers();
  });

  it("runs each agency's job at its local time, and not before", async () => {
    const ran: string[] = [];
    const { logger } = recordingLogger();
    scheduler = startLocalScheduler({
      logger,
      schedules: async () => [
        { id: "digest#dar", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => void ran.push("dar") },
        { id: "digest#lagos", time: "07:00", timezone: "Africa/Lagos", run: async () => void ran.push("lagos") },
      ],
    });
    await scheduler.refresh();
    expect(scheduler.nextRuns().map((r) => [r.id, r.at.toISOString()])).toEqual([
      ["digest#dar", "2026-03-02T04:00:00.000Z"],
      ["digest#lagos", "2026-03-02T06:00:00.000Z"],
    ]);

    await vi.advanceTimersByTimeAsync(1_000);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(ran).toEqual(["dar"]);
    await vi.advanceTimersByTimeAsync(2 * 60 * 60 * 1000);
    expect(ran).toEqual(["dar", "lagos"]);
    await vi.advanceTimersByTimeAsync(22 * 60 * 60 * 1000);
    expect(ran).toEqual(["dar", "lagos", "dar"]);
  });

  it("logs a failing job and keeps running it and the others", async () => {
    const ran: string[] = [];
    const { lines, logger } = recordingLogger();
    scheduler = startLocalScheduler({
      logger,
      schedules: async () => [
        {
          id: "digest#broken",
          time: "07:00",
          timezone: "Africa/Dar_es_Salaam",
          run: async () => {
            throw new Error("mail is down");
          },
        },
        { id: "digest#fine", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => void ran.push("fine") },
      ],
    });
    await scheduler.refresh();
    await vi.advanceTimersByTimeAsync(3_000);
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000);

    expect(ran).toEqual(["fine", "fine"]);
    const failures = lines.filter((l) => l.level === "error");
    expect(failures).toHaveLength(2);
    expect(failures[0]?.attributes).toMatchObject({ scheduleId: "digest#broken", error: expect.stringContaining("mail is down") });
  });

  it("follows changes to the schedules on refresh(): new times, removed agencies, and periodically", async () => {
    const ran: string[] = [];
    let list: DailySchedule[] = [
      { id: "digest#a", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => void ran.push("a") },
      { id: "digest#b", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => void ran.push("b") },
    ];
    const reads = vi.fn(async () => list);
    scheduler = startLocalScheduler({ schedules: reads, refreshMs: 60_000, logger: recordingLogger().logger });
    await scheduler.refresh();

    list = [{ id: "digest#a", time: "08:30", timezone: "Africa/Dar_es_Salaam", run: async () => void ran.push("a") }];
    await scheduler.refresh();
    expect(scheduler.nextRuns().map((r) => [r.id, r.at.toISOString()])).toEqual([["digest#a", "2026-03-02T05:30:00.000Z"]]);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(ran).toEqual([]);

    const before = reads.mock.calls.length;
    list = [];
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads.mock.calls.length).toBeGreaterThan(before);
    expect(scheduler.nextRuns()).toEqual([]);
    await vi.advanceTimersByTimeAsync(2 * 60 * 60 * 1000);
    expect(ran).toEqual([]);
  });

  it("skips invalid schedules with a warning, keeps the valid ones, and survives a failing read", async () => {
    const { lines, logger } = recordingLogger();
    let fail = false;
    scheduler = startLocalScheduler({
      logger,
      schedules: async () => {
        if (fail) throw new Error("table unavailable");
        return [
          { id: "digest#ok", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => {} },
          { id: "digest#late", time: "25:00", timezone: "Africa/Dar_es_Salaam", run: async () => {} },
          { id: "digest#nowhere", time: "07:00", timezone: "Mars/Olympus_Mons", run: async () => {} },
        ];
      },
    });
    await scheduler.refresh();
    expect(scheduler.nextRuns().map((r) => r.id)).toEqual(["digest#ok"]);
    expect(lines.filter((l) => l.level === "warn").map((l) => l.attributes.scheduleId)).toEqual(["digest#late", "digest#nowhere"]);

    fail = true;
    await scheduler.refresh();
    expect(scheduler.nextRuns().map((r) => r.id)).toEqual(["digest#ok"]);
    expect(lines.some((l) => l.level === "error" && String(l.attributes.error).includes("table unavailable"))).toBe(true);
  });

  it("runs a job at once on trigger(), as the dev digest route does", async () => {
    let runs = 0;
    scheduler = startLocalScheduler({
      logger: recordingLogger().logger,
      schedules: async () => [{ id: "digest#demo", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => void (runs += 1) }],
    });
    await scheduler.refresh();

    expect(await scheduler.trigger("digest#demo")).toBe(true);
    expect(await scheduler.trigger("digest#unknown")).toBe(false);
    expect(runs).toBe(1);
  });

  it("runs nothing after stop()", async () => {
    let runs = 0;
    scheduler = startLocalScheduler({
      logger: recordingLogger().logger,
      schedules: async () => [{ id: "digest#demo", time: "07:00", timezone: "Africa/Dar_es_Salaam", run: async () => void (runs += 1) }],
    });
    await scheduler.refresh();
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(runs).toBe(0);
  });
});
