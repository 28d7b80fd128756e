import { Cron } from "croner";
import * as z from "zod";
import { logger as platformLogger } from "../../functions/platform/logger";

/** A job that runs once a day at a wall-clock time in a timezone, like an EventBridge schedule `cron(mm hh * * ? *)`. */
export interface DailySchedule {
  /** Stable id, e.g. `digest#<agencyId>`; a job keeps its timer while its id, time and timezone stay the same. */
  id: string;
  /** "HH:MM", 24-hour clock. */
  time: string;
  /** IANA timezone, e.g. "Africa/Dar_es_Salaam". */
  timezone: string;
  run: () => Promise<void>;
}

export interface SchedulerLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface LocalSchedulerOptions {
  /** Read at start, every `refreshMs` and on `refresh()`, since agencies and their settings change. */
  schedules: () => Promise<DailySchedule[]>;
  /** Default 60 s. */
  refreshMs?: number;
  logger?: SchedulerLogger;
}

export interface LocalScheduler {
  stop(): void;
  /** Reads the schedules again and resolves once the timers match them. */
  refresh(): Promise<void>;
  /** The next run of each job, soonest first. */
  nextRuns(): { id: string; at: Date }[];
  /** Runs a job now (as its timer would); false when no job has that id. */
  trigger(id: string): Promise<boolean>;
}

const timeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "time must be HH:MM" });

function isTimezone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const scheduleShape = z.object({
  id: z.string().min(1),
  time: timeOfDay,
  timezone: z.string().refine(isTimezone, { message: "unknown timezone" }),
});

/** The croner pattern (minute, hour, every day) for "HH:MM". */
export function dailyPattern(time: string): string {
  const [hours, minutes] = timeOfDay.parse(time).split(":");
  return `${Number(minutes)} ${Number(hours)} * * *`;
}

/** When a daily job at `time` in `timezone` next runs after `after`. */
export function nextDailyRun(time: string, timezone: string, after: Date = new Date()): Date | null {
  const cron = new Cron(dailyPattern(time), { timezone, paused: true });
  try {
    return cron.nextRun(after);
  } finally {
    cron.stop();
  }
}

interface Job {
  key: string;
  cron: Cron;
  run: () => Promise<void>;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * The local stand-in for EventBridge Scheduler: one croner timer per job, in the job's own
 * timezone. A failing job is logged and runs again the next day; it never stops the process.
 */
export function startLocalScheduler(options: LocalSchedulerOptions): LocalScheduler {
  const log = options.logger ?? platformLogger;
  const jobs = new Map<string, Job>();
  let stopped = false;
  let refreshing: Promise<void> = Promise.resolve();
  // Invalid schedules already reported, so a periodic refresh does not repeat the warning.
  let reportedInvalid = new Set<string>();

  async function runJob(id: string): Promise<void> {
    const job = jobs.get(id);
    if (!job) return;
    const started = Date.now();
    log.info("Scheduled job started", { scheduleId: id });
    try {
      await job.run();
      log.info("Scheduled job finished", { scheduleId: id, durationMs: Date.now() - started });
    } catch (error) {
      log.error("Scheduled job failed", { scheduleId: id, durationMs: Date.now() - started, error: messageOf(error) });
    }
  }

  async function apply(): Promise<void> {
    let listed: DailySchedule[];
    try {
      listed = await options.schedules();
    } catch (error) {
      log.error("Could not read the schedules; keeping the current ones", { error: messageOf(error) });
      return;
    }
    if (stopped) return;
    const wanted = new Map<string, DailySchedule>();
    const invalid = new Set<string>();
    for (const schedule of listed) {
      const checked = scheduleShape.safeParse(schedule);
      if (!checked.success) {
        const key = `${schedule.id}|${schedule.time}|${schedule.timezone}`;
        invalid.add(key);
        if (!reportedInvalid.has(key)) {
          log.warn("Skipping an invalid schedule", {
            scheduleId: schedule.id,
            problem: checked.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "),
          });
        }
        continue;
      }
      if (wanted.has(schedule.id)) {
        log.warn("Skipping a schedule with a repeated id", { scheduleId: schedule.id });
        continue;
      }
      wanted.set(schedule.id, schedule);
    }
    reportedInvalid = invalid;
    for (const [id, job] of jobs) {
      if (!wanted.has(id)) {
        job.cron.stop();
        jobs.delete(id);
      }
    }
    for (const [id, schedule] of wanted) {
      const key = `${schedule.time}|${schedule.timezone}`;
      const existing = jobs.get(id);
      if (existing && existing.key === key) {
        existing.run = schedule.run;
        continue;
      }
      existing?.cron.stop();
      const cron = new Cron(
        dailyPattern(schedule.time),
        {
          timezone: schedule.timezone,
          // A run still going at the next tick (a day later) is not started twice.
          protect: () => log.warn("Scheduled job still running; skipping this run", { scheduleId: id }),
          catch: (error: unknown) => log.error("Scheduled job failed", { scheduleId: id, error: messageOf(error) }),
          // The scheduler alone never keeps the process alive.
          unref: true,
        },
        () => runJob(id),
      );
      jobs.set(id, { key, cron, run: schedule.run });
    }
  }

  function refresh(): Promise<void> {
    // One refresh at a time, so an older list never overwrites a newer one.
    refreshing = refreshing.then(apply, apply);
    return refreshing;
  }

  const refreshInBackground = () =>
    refresh().catch((error: unknown) => log.error("Could not apply the schedules", { error: messageOf(error) }));
  void refreshInBackground();
  const timer = setInterval(refreshInBackground, options.refreshMs ?? 60_000);
  timer.unref();

  return {
    stop() {
      stopped = true;
      clearInterval(timer);
      for (const job of jobs.values()) job.cron.stop();
      jobs.clear();
    },
    refresh,
    nextRuns() {
      const runs: { id: string; at: Date }[] = [];
      for (const [id, job] of jobs) {
        const at = job.cron.nextRun();
        if (at) runs.push({ id, at });
      }
      return runs.sort((a, b) => a.at.getTime() - b.at.getTime());
    },
    async trigger(id: string) {
      if (!jobs.has(id)) return false;
      await runJob(id);
      return true;
    },
  };
}
