import { Duration, Stack, type StackProps } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { StateMachine } from "aws-cdk-lib/aws-stepfunctions";
import type { Construct } from "constructs";
import { LETTER_WORKFLOW_DEFINITION, LETTER_WORKFLOW_NAME } from "../../functions/workflow/functions";
import type { CellConfig } from "../cells";
import { LetterWorkflow, type WorkflowArns } from "../constructs/letter-workflow";
import { OfisiFunction } from "../constructs/ofisi-function";
import { OperationalAlarms } from "../constructs/operational-alarms";
import { pascalCase, workflowEntries } from "../function-entries";
import type { DataStack } from "./data-stack";
import { functionEnvironment, grantData, grantSendMail, grantWorkflowTaskResponse } from "./function-access";

export interface WorkflowStackProps extends StackProps {
  readonly cell: CellConfig;
  readonly data: DataStack;
}

export function letterWorkflowName(cell: CellConfig): string {
  return `ofisi-${cell.name}-${LETTER_WORKFLOW_NAME}`;
}

/**
 * The letter workflow of a cell: one function per entry of `functions/workflow/functions.ts`,
 * bound to its `${placeholder}` in the ASL definition, and the Standard state machine itself.
 */
export class WorkflowStack extends Stack {
  readonly stateMachine: StateMachine;
  readonly workflowArns: WorkflowArns;
  readonly functions: readonly IFunction[];

  constructor(scope: Construct, id: string, props: WorkflowStackProps) {
    super(scope, id, props);
    const { cell, data } = props;
    const name = letterWorkflowName(cell);
    this.workflowArns = LetterWorkflow.arns(this, name);
    const logRetention = cell.logRetentionDays;
    const alarms = new OperationalAlarms(this, "Alarms", { topic: data.alarmTopic });

    const byPlaceholder = new Map<string, IFunction>();
    for (const { spec, name: entryName } of workflowEntries()) {
      const id = pascalCase(entryName);
      const fn = new OfisiFunction(this, id, {
        entry: spec.entry,
        description: `Ofisi Mtandao (${cell.name}) letter workflow task: ${spec.entry}`,
        environment: functionEnvironment(cell, data, this.workflowArns.stateMachineArn),
        logRetention,
        timeout: Duration.seconds(30),
      });
      grantData(fn, data);
      grantSendMail(this, fn, cell);
      // A task that finds the letter already moved on answers its own token at once (DESIGN.md section 5).
      grantWorkflowTaskResponse(fn, this.workflowArns);
      alarms.watchFunction(id, fn);
      byPlaceholder.set(spec.placeholder, fn);
    }
    this.functions = [...byPlaceholder.values()];

    this.stateMachine = new LetterWorkflow(this, "LetterWorkflow", {
      stateMachineName: name,
      definitionFile: LETTER_WORKFLOW_DEFINITION,
      functions: byPlaceholder,
      logRetention,
    }).stateMachine;
    alarms.watchStateMachine("LetterWorkflow", this.stateMachine);
  }
}
