/**
 * The Lambda functions that the letter workflow invokes, keyed by the definition substitution that
 * names them in `statemachines/letter-workflow.asl.json` (`${StoreTaskTokenFunctionArn}` ...).
 * Pure data: the CDK app deploys one function per entry and substitutes its ARN; the embedded
 * runtime resolves the same placeholder to the same handler, invoked in process.
 */
export interface WorkflowFunctionSpec {
  /** Definition substitution key, without `${}`. */
  readonly placeholder: string;
  /** Handler entry, relative to the repository root; it exports `handler`. */
  readonly entry: string;
}

export const WORKFLOW_FUNCTIONS: readonly WorkflowFunctionSpec[] = [
  { placeholder: "PlanNextWaitFunctionArn", entry: "functions/workflow/plan-next-wait.ts" },
  { placeholder: "StoreTaskTokenFunctionArn", entry: "functions/workflow/store-task-token.ts" },
  { placeholder: "HandleTimerFunctionArn", entry: "functions/workflow/handle-timer.ts" },
  { placeholder: "RecordFailureFunctionArn", entry: "functions/workflow/record-failure.ts" },
];

export const LETTER_WORKFLOW_DEFINITION = "statemachines/letter-workflow.asl.json";
export const LETTER_WORKFLOW_NAME = "letter-workflow";
