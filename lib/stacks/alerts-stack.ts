import { Stack, type StackProps } from "aws-cdk-lib";
import type { Construct } from "constructs";
import { OVERDUE_DIGEST_ENTRY } from "../../functions/scheduled/functions";
import type { CellConfig } from "../cells";
import { LetterWorkflow } from "../constructs/letter-workflow";
import { OperationalAlarms } from "../constructs/operational-alarms";
import { OverdueDigestSchedule } from "../constructs/overdue-digest-schedule";
import type { DataStack } from "./data-stack";
import { functionEnvironment, grantSendMail } from "./function-access";
import { letterWorkflowName } from "./workflow-stack";

export interface AlertsStackProps extends StackProps {
  readonly cell: CellConfig;
  readonly data: DataStack;
}

/**
 * The daily overdue digest of a cell (DESIGN.md section 7, "Alerts"): its function, the
 * EventBridge Scheduler group and role of its per-agency schedules, the dead-letter queue and the
 * alarms. The schedules are data (one per agency, at its digest time in its timezone), kept by the
 * digest-schedules consumer of the Streams stack, which is why that stack comes after this one.
 * (Per-event notices are the notifications stream consumer, in the Streams stack too.)
 */
export class AlertsStack extends Stack {
  readonly digest: OverdueDigestSchedule;

  constructor(scope: Construct, id: string, props: AlertsStackProps) {
    super(scope, id, props);
    const { cell, data } = props;
    const stateMachineArn = LetterWorkflow.arns(this, letterWorkflowName(cell)).stateMachineArn;
    this.digest = new OverdueDigestSchedule(this, "OverdueDigest", {
      entry: OVERDUE_DIGEST_ENTRY,
      description: `Ofisi Mtandao (${cell.name}) daily overdue digest`,
      environment: functionEnvironment(cell, data, stateMachineArn),
      logRetention: cell.logRetentionDays,
      scheduleGroupName: `ofisi-${cell.name}`,
      alarmTopic: data.alarmTopic,
    });
    const fn = this.digest.function;
    const { tables } = data.tables;
    // Agencies, settings and users by key or Query; digest markers are single conditional writes.
    tables.directory.grant(fn, "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
    // The overdue boxes (a Query on an index); nothing is written to letters.
    tables.letters.grant(fn, "dynamodb:GetItem", "dynamodb:Query");
    data.key.grantEncryptDecrypt(fn);
    // It has no Audit access; the Deny keeps it so even if a broader grant is added later.
    data.tables.denyAuditChanges(fn);
    grantSendMail(this, fn, cell);
    new OperationalAlarms(this, "Alarms", { topic: data.alarmTopic }).watchFunction("OverdueDigest", fn);
  }
}
