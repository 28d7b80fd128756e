import { Duration } from "aws-cdk-lib";
import { Alarm, ComparisonOperator, TreatMissingData } from "aws-cdk-lib/aws-cloudwatch";
import { SnsAction } from "aws-cdk-lib/aws-cloudwatch-actions";
import type { ITable } from "aws-cdk-lib/aws-dynamodb";
import { FilterCriteria, StartingPosition } from "aws-cdk-lib/aws-lambda";
import { DynamoEventSource, SqsDlq } from "aws-cdk-lib/aws-lambda-event-sources";
import type { RetentionDays } from "aws-cdk-lib/aws-logs";
import { Queue, QueueEncryption } from "aws-cdk-lib/aws-sqs";
import type { ITopic } from "aws-cdk-lib/aws-sns";
import { Construct } from "constructs";
import { OfisiFunction } from "./ofisi-function";

/** How a stream consumer's event source mappings retry before a batch goes to the dead-letter queue. */
export const STREAM_RETRY = {
  /** Retries of a failing batch; with bisection a bad record ends up alone. */
  retryAttempts: 50,
  /** Records older than this go to the dead-letter queue instead of holding up the shard. */
  maxRecordAge: Duration.hours(6),
  /** Messages of the dead-letter queue are kept this long (the SQS maximum). */
  deadLetterRetention: Duration.days(14),
} as const;

export interface StreamConsumerProps {
  readonly entry: string;
  readonly description: string;
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  /**
   * Tables whose streams it reads, with the records per invocation and, optionally, an event filter
   * pattern: Lambda then invokes the consumer only with matching records (the others are dropped).
   */
  readonly sources: readonly { readonly table: ITable; readonly batchSize: number; readonly filter?: { readonly [field: string]: unknown } }[];
  /** Where the dead-letter alarm goes. */
  readonly alarmTopic: ITopic;
}

/**
 * One DynamoDB stream consumer: its function and an event source mapping per table stream, from
 * the oldest record, with partial batch responses, bisection on error, bounded retries and an
 * encrypted SQS dead-letter queue (on-failure destination) that raises an alarm as soon as it
 * holds a message: the batch it names must be replayed (for the search index: `npm run reindex`).
 */
export class StreamConsumer extends Construct {
  readonly function: OfisiFunction;
  readonly deadLetterQueue: Queue;
  readonly deadLetterAlarm: Alarm;

  constructor(scope: Construct, id: string, props: StreamConsumerProps) {
    super(scope, id);
    if (props.sources.length === 0) throw new Error(`Stream consumer ${id} reads no table`);
    this.deadLetterQueue = new Queue(this, "DeadLetters", {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: STREAM_RETRY.deadLetterRetention,
    });
    this.function = new OfisiFunction(this, "Function", {
      entry: props.entry,
      description: props.description,
      environment: props.environment,
      logRetention: props.logRetention,
      timeout: Duration.seconds(60),
    });
    for (const source of props.sources) {
      this.function.addEventSource(
        new DynamoEventSource(source.table, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: source.batchSize,
          reportBatchItemFailures: true,
          bisectBatchOnError: true,
          retryAttempts: STREAM_RETRY.retryAttempts,
          maxRecordAge: STREAM_RETRY.maxRecordAge,
          // One batch at a time per shard: the records of one letter stay in order.
          parallelizationFactor: 1,
          onFailure: new SqsDlq(this.deadLetterQueue),
          filters: source.filter ? [FilterCriteria.filter(source.filter)] : undefined,
        }),
      );
    }
    this.deadLetterAlarm = new Alarm(this, "DeadLettersAlarm", {
      alarmDescription: `Stream consumer ${id} gave up on a batch; replay it (search index: npm run reindex)`,
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.deadLetterAlarm.addAlarmAction(new SnsAction(props.alarmTopic));
  }
}
