export {
  dailyPattern,
  nextDailyRun,
  startLocalScheduler,
  type DailySchedule,
  type LocalScheduler,
  type LocalSchedulerOptions,
  type SchedulerLogger,
} from "./scheduler";
