export {
  DEFAULT_RETRY_DELAYS_MS,
  dailyPattern,
  nextDailyRun,
  startLocalScheduler,
  type DailySchedule,
  type FailedRun,
  type LocalScheduler,
  type LocalSchedulerOptions,
  type RetrySleep,
  type SchedulerLogger,
} from "./scheduler";
export { FailedRunStore } from "./failed-runs";
