import { Stack } from "aws-cdk-lib";
import { PolicyStatement, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import { DIGEST_SCHEDULE_ENV } from "../../functions/scheduled/functions";
import type { CellConfig } from "../cells";
import type { WorkflowArns } from "../constructs/letter-workflow";
import type { OverdueDigestSchedule } from "../constructs/overdue-digest-schedule";
import type { DataStack } from "./data-stack";

/**
 * The environment every function needs (what `functions/platform/config.ts` loadConfig() reads)
 * and the grants that go with it, kept together so a new variable and its permission travel as one.
 */
export function functionEnvironment(cell: CellConfig, data: DataStack, stateMachineArn: string): Record<string, string> {
  return {
    ...data.tables.environment(),
    ATTACHMENTS_BUCKET: data.attachments.bucketName,
    STATE_MACHINE_ARN: stateMachineArn,
    MAIL_FROM: cell.mailFrom,
    APP_URL: cell.appUrl,
    OFISI_RUNTIME: "cloud",
    OFISI_CELL: cell.name,
  };
}

/** Application data: every table (the Audit table append-only). */
export function grantData(grantee: IGrantable, data: DataStack): void {
  data.tables.grantApplicationAccess(grantee);
}

/**
 * Upload and read attachments (presigned URLs are signed with the function's role), and delete a
 * rejected upload. Accepted attachments are part of the record; the bucket is versioned, so even a
 * deleted object keeps its earlier version.
 */
export function grantAttachments(grantee: IGrantable, data: DataStack): void {
  data.attachments.grantRead(grantee);
  data.attachments.grantPut(grantee);
  // Only to remove an upload that failed its checks (wrong size or type); the bucket keeps versions.
  // s3:DeleteObject without DeleteObjectVersion, so the earlier version stays recoverable.
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ["s3:DeleteObject"], resources: [data.attachments.arnForObjects("*")] }),
  );
}

/** Send mail as the cell's SES identity, and as nothing else. */
export function grantSendMail(scope: Construct, grantee: IGrantable, cell: CellConfig): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["ses:SendEmail", "ses:SendRawEmail"],
      resources: [Stack.of(scope).formatArn({ service: "ses", resource: "identity", resourceName: cell.sesIdentity })],
    }),
  );
}

/** Start, signal, inspect and stop executions of the letter workflow. */
export function grantWorkflowControl(grantee: IGrantable, workflow: WorkflowArns): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ["states:StartExecution"], resources: [workflow.stateMachineArn] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["states:DescribeExecution", "states:StopExecution", "states:GetExecutionHistory"],
      resources: [workflow.executionArns],
    }),
  );
  grantWorkflowTaskResponse(grantee, workflow);
}

/** Start executions of the letter workflow and answer its waiting tasks; nothing else. */
export function grantWorkflowSignals(grantee: IGrantable, workflow: WorkflowArns): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ["states:StartExecution"], resources: [workflow.stateMachineArn] }),
  );
  grantWorkflowTaskResponse(grantee, workflow);
}

/** Answer the workflow's waiting tasks (SendTaskSuccess/Failure with a stored task token). */
export function grantWorkflowTaskResponse(grantee: IGrantable, workflow: WorkflowArns): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat"],
      resources: [workflow.stateMachineArn],
    }),
  );
}

/**
 * What `GET /api/health` reads beyond the data and the bucket: the state machine's description and
 * the SES account (GetAccount has no resource-level permission, hence `*`).
 */
export function grantHealthChecks(grantee: IGrantable, workflow: WorkflowArns): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ["states:DescribeStateMachine"], resources: [workflow.stateMachineArn] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ["ses:GetAccount"], resources: ["*"] }));
}

/** What the digest-schedules consumer reads with `loadDigestScheduleConfig()`: where the schedules go and what they invoke. */
export function digestScheduleEnvironment(digest: OverdueDigestSchedule): Record<string, string> {
  return {
    [DIGEST_SCHEDULE_ENV.groupName]: digest.scheduleGroupName,
    [DIGEST_SCHEDULE_ENV.functionArn]: digest.function.functionArn,
    [DIGEST_SCHEDULE_ENV.roleArn]: digest.schedulerRole.roleArn,
    [DIGEST_SCHEDULE_ENV.deadLetterArn]: digest.deadLetterQueue.queueArn,
  };
}

/**
 * Create, update and read the schedules of the digest's group (not delete them, nor touch another
 * group), and hand EventBridge Scheduler the digest's scheduler role, and no other role.
 */
export function grantDigestSchedules(scope: Construct, grantee: IGrantable, digest: OverdueDigestSchedule): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:GetSchedule"],
      resources: [Stack.of(scope).formatArn({ service: "scheduler", resource: "schedule", resourceName: `${digest.scheduleGroupName}/*` })],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: ["iam:PassRole"],
      resources: [digest.schedulerRole.roleArn],
      conditions: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
    }),
  );
}
