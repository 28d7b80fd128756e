import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { nextDailyRun, startLocalScheduler, type DailySchedule, type FailedRun, type LocalScheduler } from "../../../local/scheduler";

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

  it("logs a failing job, gives up on it after its retries, and keeps running it and the others", async () => {
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
    await vi.advanceTimersByTimeAsync(24 * 60 * 60 * 1000 + 7 * 60_000); // the next day's run and its retries

    expect(ran).toEqual(["fine", "fine"]);
    // Each day: three retries (warnings), then one failure after the fourth attempt.
    expect(lines.filter((l) => l.level === "warn" && l.message.includes("retrying"))).toHaveLength(6);
    const failures = lines.filter((l) => l.level === "error");
    expect(failures).toHaveLength(2);
    expect(failures[0]?.attributes).toMatchObject({ scheduleId: "digest#broken", attempt: 4, error: expect.stringContaining("mail is down") });
  });

  it("retries a failed run after 1, 2 and 4 minutes, then hands it to onFailure once", async () => {
    const attempts: string[] = [];
    const failed: FailedRun[] = [];
    scheduler = startLocalScheduler({
      logger: recordingLogger().logger,
      onFailure: async (run) => void failed.push(run),
      schedules: async () => [
        {
          id: "digest#demo",
          time: "07:00",
          timezone: "Africa/Dar_es_Salaam",
          run: async () => {
            attempts.push(new Date().toISOString().slice(11, 19));
            throw new Error("mail is down");
          },
        },
      ],
    });
    await scheduler.refresh();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(attempts).toEqual(["04:00:00"]);

    await vi.advanceTimersByTimeAsync(6 * 60_000 + 58_000); // 04:06:59
    expect(attempts).toEqual(["04:00:00", "04:01:00", "04:03:00"]);
    expect(failed).toEqual([]);

    await vi.advanceTimersByTimeAsync(1_000); // 04:07:00, the fourth and last attempt
    expect(attempts).toEqual(["04:00:00", "04:01:00", "04:03:00", "04:07:00"]);
    expect(failed).toEqual([
      { scheduleId: "digest#demo", attempts: 4, failedAt: new Date("2026-03-02T04:07:00Z"), error: "Error: mail is down" },
    ]);

    // Nothing more until the next day's run.
    await vi.advanceTimersByTimeAsync(23 * 60 * 60 * 1000);
    expect(attempts).toHaveLength(4);
    expect(failed).toHaveLength(1);
  });

  it("records nothing when a retry succeeds, e.g. once the mail service is back", async () => {
    let calls = 0;
    const failed: FailedRun[] = [];
    scheduler = startLocalScheduler({
      logger: recordingLogger().logger,
      onFailure: async (run) => void failed.push(run),
      schedules: async () => [
        {
          id: "digest#demo",
          time: "07:00",
          timezone: "Africa/Dar_es_Salaam",
          run: async () => {
            calls += 1;
            if (calls <= 2) throw new Error("mail is down");
          },
        },
      ],
    });
    await scheduler.refresh();
    await vi.advanceTimersByTimeAsync(3_000 + 3 * 60_000); // the first run and the retries at +1 and +3 minutes
    expect(calls).toBe(3);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toBe(3);
    expect(failed).toEqual([]);
  });

  it("takes its retry delays and its wait from the options, so a caller can skip the waiting", async () => {
    const waits: number[] = [];
    const failed: FailedRun[] = [];
    let calls = 0;
    scheduler = startLocalScheduler({
      logger: recordingLogger().logger,
      retryDelaysMs: [5_000, 30_000],
      sleep: async (ms) => void waits.push(ms),
      onFailure: async (run) => void failed.push(run),
      schedules: async () => [
        {
          id: "digest#demo",
          time: "07:00",
          timezone: "Africa/Dar_es_Salaam",
          run: async () => {
            calls += 1;
            throw new Error("mail is down");
          },
        },
      ],
    });
    await scheduler.refresh();

    // trigger() resolves after the last attempt, with no timer advanced at all.
    expect(await scheduler.trigger("digest#demo")).toBe(true);
    expect(calls).toBe(3);
    expect(waits).toEqual([5_000, 30_000]);
    expect(failed.map((run) => run.attempts)).toEqual([3]);
  });

  it("stops retrying on stop(), without recording the run as failed", async () => {
    let calls = 0;
    const failed: FailedRun[] = [];
    scheduler = startLocalScheduler({
      logger: recordingLogger().logger,
      onFailure: async (run) => void failed.push(run),
      schedules: async () => [
        {
          id: "digest#demo",
          time: "07:00",
          timezone: "Africa/Dar_es_Salaam",
          run: async () => {
            calls += 1;
            throw new Error("mail is down");
          },
        },
      ],
    });
    await scheduler.refresh();
    await vi.advanceTimersByTimeAsync(3_000);
    expect(calls).toBe(1);
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(calls).toBe(1);
    expect(failed).toEqual([]);
  });

  it("logs a failure it could not record, and keeps running", async () => {
    const { lines, logger } = recordingLogger();
    scheduler = startLocalScheduler({
      logger,
      retryDelaysMs: [],
      onFailure: async () => {
        throw new Error("table unavailable");
      },
      schedules: async () => [
        {
          id: "digest#demo",
          time: "07:00",
          timezone: "Africa/Dar_es_Salaam",
          run: async () => {
            throw new Error("mail is down");
          },
        },
      ],
    });
    await scheduler.refresh();
    expect(await scheduler.trigger("digest#demo")).toBe(true);
    expect(lines.filter((l) => l.level === "error").map((l) => [l.message, l.attributes.error])).toEqual([
      ["Scheduled job failed on every attempt", "Error: mail is down"],
      ["Could not record a failed scheduled job", "Error: table unavailable"],
    ]);
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
