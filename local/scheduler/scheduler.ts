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

/** A run that failed on every attempt. */
export interface FailedRun {
  scheduleId: string;
  attempts: number;
  /** When the last attempt failed. */
  failedAt: Date;
  /** The last attempt's error. */
  error: string;
}

/** Pauses for `ms`; resolves early once `signal` aborts (the scheduler stopped). */
export type RetrySleep = (ms: number, signal: AbortSignal) => Promise<void>;

/** A failed run is tried again after 1, 2 and 4 minutes (four attempts in all) before it counts as failed. */
export const DEFAULT_RETRY_DELAYS_MS: readonly number[] = [60_000, 120_000, 240_000];

export interface LocalSchedulerOptions {
  /** Read at start, every `refreshMs` and on `refresh()`, since agencies and their settings change. */
  schedules: () => Promise<DailySchedule[]>;
  /** Default 60 s. */
  refreshMs?: number;
  logger?: SchedulerLogger;
  /** Pause before each retry of a failed run; its length is the number of retries. Default `DEFAULT_RETRY_DELAYS_MS`. */
  retryDelaysMs?: readonly number[];
  /** How a retry waits; default an unref'd timer. Tests pass one that returns at once. */
  sleep?: RetrySleep;
  /** Where a run goes after its last failed attempt (the local dead-letter destination). */
  onFailure?: (failure: FailedRun) => Promise<void>;
}

export interface LocalScheduler {
  stop(): void;
  /** Reads the schedules again and resolves once the timers match them. */
  refresh(): Promise<void>;
  /** The next run of each job, soonest first. */
  nextRuns(): { id: string; at: Date }[];
  /** Runs a job now (as its timer would, retries included); false when no job has that id. */
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

const timerSleep: RetrySleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    // A pending retry alone never keeps the process alive, like the daily timers.
    timer.unref();
    signal.addEventListener("abort", done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });

/**
 * The local stand-in for EventBridge Scheduler: one croner timer per job, in the job's own
 * timezone. A failing run is retried with backoff and, after its last attempt, handed to
 * `onFailure`, as the cloud's retries end in a dead-letter queue; it never stops the process.
 */
export function startLocalScheduler(options: LocalSchedulerOptions): LocalScheduler {
  const log = options.logger ?? platformLogger;
  const jobs = new Map<string, Job>();
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const sleep = options.sleep ?? timerSleep;
  const stopping = new AbortController();
  let stopped = false;
  let refreshing: Promise<void> = Promise.resolve();
  // Invalid schedules already reported, so a periodic refresh does not repeat the warning.
  let reportedInvalid = new Set<string>();

  async function runJob(id: string): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      // Looked up on each attempt: a refresh may have replaced the job's run, or removed the job.
      const job = jobs.get(id);
      if (!job || stopped) {
        if (attempt > 1) log.warn("Scheduled job gone before its retry; giving up", { scheduleId: id, attempt });
        return;
      }
      const started = Date.now();
      log.info("Scheduled job started", { scheduleId: id, attempt });
      try {
        await job.run();
        log.info("Scheduled job finished", { scheduleId: id, attempt, durationMs: Date.now() - started });
        return;
      } catch (error) {
        const context = { scheduleId: id, attempt, durationMs: Date.now() - started, error: messageOf(error) };
        const delay = retryDelays[attempt - 1];
        if (delay === undefined) {
          log.error("Scheduled job failed on every attempt", context);
          await recordFailure({ scheduleId: id, attempts: attempt, failedAt: new Date(), error: messageOf(error) });
          return;
        }
        log.warn("Scheduled job failed; retrying", { ...context, retryInMs: delay });
        await sleep(delay, stopping.signal);
      }
    }
  }

  async function recordFailure(failure: FailedRun): Promise<void> {
    try {
      await options.onFailure?.(failure);
    } catch (error) {
      // The logs keep the failure when the destination itself fails.
      log.error("Could not record a failed scheduled job", { scheduleId: failure.scheduleId, error: messageOf(error) });
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
      stopping.abort();
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
