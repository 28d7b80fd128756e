import { RemovalPolicy, Stack, type StackProps } from "aws-cdk-lib";
import { InvocationType, Trigger } from "aws-cdk-lib/triggers";
import type { Construct } from "constructs";
import { CLOUD_STREAM_CONSUMERS } from "../../functions/streams/consumers";
import { TABLES, TABLE_KEYS, type TableKey } from "../../functions/store/tables";
import type { CellConfig } from "../cells";
import { LetterWorkflow } from "../constructs/letter-workflow";
import { OperationalAlarms } from "../constructs/operational-alarms";
import { StreamConsumer } from "../constructs/stream-consumer";
import { entryName, pascalCase } from "../function-entries";
import type { AlertsStack } from "./alerts-stack";
import type { DataStack } from "./data-stack";
import {
  digestScheduleEnvironment,
  functionEnvironment,
  grantData,
  grantDigestSchedules,
  grantSendMail,
  grantWorkflowSignals,
} from "./function-access";
import { letterWorkflowName } from "./workflow-stack";

export interface StreamsStackProps extends StackProps {
  readonly cell: CellConfig;
  readonly data: DataStack;
  /** The digest whose per-agency schedules a consumer keeps (this stack then depends on Alerts, never the reverse). */
  readonly alerts: AlertsStack;
}

/**
 * Least privilege for consumers that declare it: read their sources by key, maintain their own
 * table (`write`) or single-item markers (`markers`), send mail as the cell's SES identity
 * (`sendsMail`), start and signal the letter workflow (`signalsWorkflow`), keep the digest's
 * schedules (`digestSchedules`). A consumer not listed gets what every function of the app gets
 * (data and mail).
 */
interface ConsumerAccess {
  read: readonly TableKey[];
  write: readonly TableKey[];
  markers?: readonly TableKey[];
  sendsMail?: boolean;
  signalsWorkflow?: boolean;
  digestSchedules?: boolean;
}

const CONSUMER_ACCESS: Readonly<Record<string, ConsumerAccess>> = {
  "functions/streams/search-indexer.ts": { read: ["letters", "files"], write: ["search"] },
  // Notifications read letters and users, keep sent-mail markers in the Directory, and send mail.
  "functions/streams/notifications.ts": { read: ["letters", "directory"], write: [], markers: ["directory"], sendsMail: true },
  // The workflow signaller reads the letter's workflow item (its task token) and calls Step Functions.
  "functions/streams/workflow-signals.ts": { read: ["letters"], write: [], signalsWorkflow: true },
  // The digest schedules read an agency's settings and create or update its schedule.
  "functions/streams/digest-schedules.ts": { read: ["directory"], write: [], digestSchedules: true },
};

const READ_ACTIONS = ["dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"] as const;
const WRITE_ACTIONS = [...READ_ACTIONS, "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"] as const;
/** Single-item markers: conditional put, update and delete. */
const MARKER_ACTIONS = [...READ_ACTIONS, "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem"] as const;

/**
 * The DynamoDB stream consumers of a cell (`functions/streams/consumers.ts`): one function per
 * entry, with an event source mapping on each table it consumes, its dead-letter queue and alarms.
 */
export class StreamsStack extends Stack {
  readonly consumers: ReadonlyMap<string, StreamConsumer>;
  /** By entry: the trigger that runs a consumer's resync after a deployment that changed it (`resyncOnDeploy`). */
  readonly resyncTriggers: ReadonlyMap<string, Trigger>;

  constructor(scope: Construct, id: string, props: StreamsStackProps) {
    super(scope, id, props);
    const { cell, data, alerts } = props;
    const alarms = new OperationalAlarms(this, "Alarms", { topic: data.alarmTopic });
    const workflowArns = LetterWorkflow.arns(this, letterWorkflowName(cell));
    const stateMachineArn = workflowArns.stateMachineArn;
    const consumers = new Map<string, StreamConsumer>();
    const resyncTriggers = new Map<string, Trigger>();
    for (const entry of [...new Set(CLOUD_STREAM_CONSUMERS.map((c) => c.entry))]) {
      const specs = CLOUD_STREAM_CONSUMERS.filter((c) => c.entry === entry);
      for (const spec of specs) {
        if (!TABLES[spec.table].stream) throw new Error(`Stream consumer ${spec.name} reads table ${spec.table}, which has no stream`);
      }
      const access = CONSUMER_ACCESS[entry];
      const id = pascalCase(entryName(entry));
      const consumer = new StreamConsumer(this, id, {
        entry,
        description: `Ofisi Mtandao (${cell.name}) stream consumer ${entry} of ${specs.map((s) => TABLES[s.table].name).join(", ")}`,
        environment: {
          ...functionEnvironment(cell, data, stateMachineArn),
          ...(access?.digestSchedules ? digestScheduleEnvironment(alerts.digest) : {}),
        },
        logRetention: cell.logRetentionDays,
        sources: specs.map((spec) => ({ table: data.tables.tables[spec.table], batchSize: spec.batchSize, filter: spec.filter })),
        alarmTopic: data.alarmTopic,
      });
      if (access) {
        for (const key of TABLE_KEYS) {
          const actions = access.write.includes(key)
            ? WRITE_ACTIONS
            : access.markers?.includes(key)
              ? MARKER_ACTIONS
              : access.read.includes(key)
                ? READ_ACTIONS
                : null;
          if (!actions) continue;
          data.tables.tables[key].grant(consumer.function, ...actions);
          data.key.grantEncryptDecrypt(consumer.function);
        }
        if (access.sendsMail) grantSendMail(this, consumer.function, cell);
        if (access.signalsWorkflow) grantWorkflowSignals(consumer.function, workflowArns);
        if (access.digestSchedules) grantDigestSchedules(this, consumer.function, alerts.digest);
        // An explicit Deny, so the Audit table stays append-only for them even if a broader grant comes later.
        data.tables.denyAuditChanges(consumer.function);
      } else {
        // Includes the Audit Deny.
        grantData(consumer.function, data);
        grantSendMail(this, consumer.function, cell);
      }
      alarms.watchFunction(id, consumer.function);
      consumers.set(entry, consumer);
      if (specs.some((spec) => spec.resyncOnDeploy)) resyncTriggers.set(entry, this.resyncAfterDeploy(id, consumer));
    }
    this.consumers = consumers;
    this.resyncTriggers = resyncTriggers;
  }

  /**
   * Invokes the consumer without a payload (its resync, `functions/streams/consumers.ts`) on the
   * deployment that creates it and on each one that changes its code or configuration: the trigger
   * names the function's current version, which is new exactly then. Its configuration holds what
   * it reads from other stacks (for the digest schedules, the digest function's ARN), so a replaced
   * target re-runs it too. It runs once the whole consumer is in place (role policy, event source
   * mapping), synchronously: a failed resync fails the deployment. The trigger's provider may invoke
   * this function's versions, and no other function.
   */
  private resyncAfterDeploy(id: string, consumer: StreamConsumer): Trigger {
    const trigger = new Trigger(this, `${id}Resync`, {
      handler: consumer.function,
      executeAfter: [consumer],
      executeOnHandlerChange: true,
      invocationType: InvocationType.REQUEST_RESPONSE,
    });
    // Only the trigger uses the versions; an older one has no use once replaced (and each keeps a copy of the code).
    consumer.function.currentVersion.applyRemovalPolicy(RemovalPolicy.DESTROY);
    return trigger;
  }
}
