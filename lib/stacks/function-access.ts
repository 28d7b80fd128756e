import { Stack } from "aws-cdk-lib";
import { PolicyStatement, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import type { CellConfig } from "../cells";
import type { WorkflowArns } from "../constructs/letter-workflow";
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
