import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnSchedule, CfnScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { OfisiFunction } from "./ofisi-function";

export interface OverdueDigestScheduleProps {
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** How often the sweep runs, in minutes (a divisor of 60). */
  readonly sweepMinutes: number;
  /** Name of the schedule group (one per cell). */
  readonly scheduleGroupName: string;
  readonly alarmTopic: ITopic;
}

/**
 * The overdue digest's function and its EventBridge Scheduler schedule: a sweep every few minutes
 * in UTC, passing the scheduled time, so the function runs each agency at its own digest time in
 * its own timezone (agencies are data, not infrastructure). What fails for good ends in one
 * encrypted SQS dead-letter queue: a schedule that could not invoke the function, and a run that
 * failed every retry (the function's asynchronous on-failure destination). The queue raises an
 * alarm as soon as it holds a message.
 */
export class OverdueDigestSchedule extends Construct {
  readonly function: OfisiFunction;
  readonly schedule: CfnSchedule;
  readonly scheduleGroup: CfnScheduleGroup;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: OverdueDigestScheduleProps) {
    super(scope, id);
    if (!Number.isInteger(props.sweepMinutes) || props.sweepMinutes < 1 || 60 % props.sweepMinutes !== 0) {
      throw new Error(`sweepMinutes must divide an hour; got ${props.sweepMinutes}`);
    }
    this.deadLetterQueue = new Queue(this, "DeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.function = new OfisiFunction(this, "Function", {
      entry: props.entry,
      description: props.description,
      environment: props.environment,
      logRetention: props.logRetention,
      timeout: Duration.minutes(5),
    });
    // Invoked asynchronously by the scheduler: two retries, then the run goes to the dead-letter queue.
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.scheduleGroup = new CfnScheduleGroup(this, "Group", { name: props.scheduleGroupName });
    const role = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com"),
      description: "Lets EventBridge Scheduler invoke the overdue digest and dead-letter what it cannot deliver",
    });
    role.addToPolicy(new PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [this.function.functionArn] }));
    this.deadLetterQueue.grantSendMessages(role);

    this.schedule = new CfnSchedule(this, "Sweep", {
      // Ref of a schedule group is its name; it also orders the group before the schedule.
      groupName: this.scheduleGroup.ref,
      description: `Overdue digest sweep: every ${props.sweepMinutes} minutes, runs the agencies whose digest time has come`,
      scheduleExpression: `cron(0/${props.sweepMinutes} * * * ? *)`,
      scheduleExpressionTimezone: "UTC",
      flexibleTimeWindow: { mode: "OFF" },
      state: "ENABLED",
      target: {
        arn: this.function.functionArn,
        roleArn: role.roleArn,
        // The scheduled time (not the delivery time) picks the window, so a late delivery still covers its own.
        input: JSON.stringify({ scheduledTime: "<aws.scheduler.scheduled-time>" }),
        retryPolicy: { maximumRetryAttempts: 10, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
      },
    });

    this.deadLetterAlarm = new Alarm(this, "DeadLettersAlarm", {
      alarmDescription: "Overdue digests were not sent: the digest could not run or failed every retry; see the function's logs",
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
