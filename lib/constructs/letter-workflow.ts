import { Annotations, Arn, ArnFormat, Stack } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { DefinitionBody, LogLevel, StateMachine, StateMachineType } from "aws-cdk-lib/aws-stepfunctions";
import { readFileSync } from "node:fs";
import { Construct } from "constructs";
import { fromRoot } from "../paths";
import { DEFAULTS } from "./defaults";

export interface WorkflowArns {
  readonly stateMachineArn: string;
  /** Every execution of the state machine. */
  readonly executionArns: string;
}

export interface LetterWorkflowProps {
  /** Physical name of the state machine; fixed so its ARN is known before it exists (see `arns`). */
  readonly stateMachineName: string;
  /** ASL file relative to the repository root; the same file the embedded runtime runs. */
  readonly definitionFile: string;
  /** Definition substitution (without `${}`) -> the function whose ARN fills it. */
  readonly functions: ReadonlyMap<string, IFunction>;
  readonly logRetention: RetentionDays;
}

/**
 * The letter workflow: a Standard state machine loaded from the ASL file, with every `${Name}`
 * placeholder bound to its function, full execution logging and X-Ray tracing.
 */
export class LetterWorkflow extends Construct {
  readonly stateMachine: StateMachine;

  /**
   * The ARNs of a named state machine, computed without referencing it: the functions it invokes
   * need them (environment, IAM) while it needs their ARNs in its definition.
   */
  static arns(scope: Construct, stateMachineName: string): WorkflowArns {
    const stack = Stack.of(scope);
    const format = (resource: string, resourceName: string) =>
      Arn.format({ service: "states", resource, resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack);
    return {
      stateMachineArn: format("stateMachine", stateMachineName),
      executionArns: format("execution", `${stateMachineName}:*`),
    };
  }

  constructor(scope: Construct, id: string, props: LetterWorkflowProps) {
    super(scope, id);
    checkPlaceholders(this, fromRoot(props.definitionFile), props.functions);
    const definitionSubstitutions: Record<string, string> = {};
    for (const [placeholder, fn] of props.functions) definitionSubstitutions[placeholder] = fn.functionArn;

    const logGroup = new LogGroup(this, "Logs", {
      // The /aws/vendedlogs/ prefix keeps CloudWatch Logs' resource-policy size limit out of reach.
      logGroupName: `/aws/vendedlogs/states/${props.stateMachineName}`,
      retention: props.logRetention,
      removalPolicy: DEFAULTS.logRemovalPolicy,
    });

    this.stateMachine = new StateMachine(this, "StateMachine", {
      stateMachineName: props.stateMachineName,
      stateMachineType: StateMachineType.STANDARD,
      definitionBody: DefinitionBody.fromFile(fromRoot(props.definitionFile)),
      definitionSubstitutions,
      tracingEnabled: true,
      // Every event is logged, but not its data: inputs and outputs carry task tokens and letter
      // subjects, which must not sit in CloudWatch Logs. The letter's own history keeps the data.
      logs: { destination: logGroup, level: LogLevel.ALL, includeExecutionData: false },
    });
    for (const fn of props.functions.values()) fn.grantInvoke(this.stateMachine);
  }
}

/**
 * A placeholder without a function fails the synth rather than the deployment; a function no state
 * uses yet is only a warning (it may be wired into the definition in a later change).
 */
function checkPlaceholders(scope: Construct, file: string, functions: ReadonlyMap<string, IFunction>): void {
  const used = new Set([...readFileSync(file, "utf8").matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] ?? ""));
  const missing = [...used].filter((name) => !functions.has(name));
  if (missing.length > 0) throw new Error(`${file} uses placeholders with no workflow function: ${missing.join(", ")}`);
  for (const name of functions.keys()) {
    if (!used.has(name)) {
      Annotations.of(scope).addWarningV2("ofisi:unusedWorkflowFunction", `No state of ${file} uses \${${name}}`);
    }
  }
}
