import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import { PolicyStatement, Role, ServicePrincipal } from "aws-cdk-lib/aws-iam";
import { SqsDestination } from "aws-cdk-lib/aws-lambda-destinations";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { CfnScheduleGroup } from "aws-cdk-lib/aws-scheduler";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import { Construct } from "constructs";
import { OfisiFunction } from "./ofisi-function";

export interface OverdueDigestScheduleProps {
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /** Name of the schedule group (one per cell). */
  readonly scheduleGroupName: string;
  readonly alarmTopic: ITopic;
}

/**
 * The overdue digest's function and what its EventBridge Scheduler schedules use: the cell's
 * schedule group, the role the scheduler assumes to invoke the function, and one encrypted SQS
 * dead-letter queue. The schedules themselves are one per agency (agencies are data, not
 * infrastructure): the digest-schedules stream consumer creates and updates them in the group.
 * What fails for good ends in the queue: an invocation the scheduler could not deliver, and a run
 * that failed every retry (the function's asynchronous on-failure destination). The queue raises
 * an alarm as soon as it holds a message.
 */
export class OverdueDigestSchedule extends Construct {
  readonly function: OfisiFunction;
  readonly scheduleGroup: CfnScheduleGroup;
  /** The group's name, a plain string: another stack can name the group's schedules without an export. */
  readonly scheduleGroupName: string;
  /** Assumed by EventBridge Scheduler for every digest schedule; whoever creates one must be able to pass it. */
  readonly schedulerRole: Role;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: OverdueDigestScheduleProps) {
    super(scope, id);
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

    this.scheduleGroupName = props.scheduleGroupName;
    this.scheduleGroup = new CfnScheduleGroup(this, "Group", { name: props.scheduleGroupName });
    this.schedulerRole = new Role(this, "SchedulerRole", {
      assumedBy: new ServicePrincipal("scheduler.amazonaws.com"),
      description: "Lets EventBridge Scheduler invoke the overdue digest and dead-letter what it cannot deliver",
    });
    this.schedulerRole.addToPolicy(new PolicyStatement({ actions: ["lambda:InvokeFunction"], resources: [this.function.functionArn] }));
    this.deadLetterQueue.grantSendMessages(this.schedulerRole);

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
