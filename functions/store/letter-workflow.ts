import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { SendTaskSuccessCommand, StartExecutionCommand, type SFNClient } from "@aws-sdk/client-sfn";
import { LetterStore } from "./letters";

/**
 * The letter workflow's own item and the Step Functions calls that drive it (DESIGN.md section 5).
 *
 * Key (in the letter's partition, see `letters.ts`): pk `AGENCY#<a>#LETTER#<id>` sk `WORKFLOW`,
 * holding the waiting task's token and the letter version the workflow planned its wait for
 * (`plannedVersion`). Whoever sees a letter version newer than `plannedVersion` signals the token;
 * the token-storing task writes the token *then* reads the letter, and the API writes the letter
 * *then* reads the token, so one of the two always sees the other (both reads are consistent).
 */

export interface WorkflowItem {
  taskToken: string | null;
  plannedVersion: number;
  /** When the waiting task times out (the due date, the next reminder or escalation), and why. */
  wakeAt: string | null;
  wakeReason: string | null;
  storedAt: string | null;
  failure: { error: string; cause: string; at: string } | null;
}

/** What the workflow is told after a change of the letter: `WaitForDecision`'s result. */
export interface WorkflowDecision {
  /** The history action that moved the letter (`sync` when the workflow only learns that it moved). */
  action: string;
  version: number;
}

/** Answers that mean the signal is moot: the task was answered already, timed out, or the execution exists. */
const HARMLESS = new Set(["TaskDoesNotExist", "TaskTimedOut", "InvalidToken", "ExecutionAlreadyExists"]);

export function isHarmlessSignalError(error: unknown): boolean {
  return error instanceof Error && HARMLESS.has(error.name);
}

export class LetterWorkflowStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private key(agencyId: string, letterId: string) {
    return { pk: LetterStore.letterPk(agencyId, letterId), sk: "WORKFLOW" };
  }

  async get(agencyId: string, letterId: string): Promise<WorkflowItem | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: this.key(agencyId, letterId), ConsistentRead: true }));
    const item = out.Item;
    if (!item) return undefined;
    const failure = item.failure as Record<string, unknown> | undefined;
    return {
      taskToken: typeof item.taskToken === "string" ? item.taskToken : null,
      plannedVersion: Number(item.plannedVersion ?? 0),
      wakeAt: typeof item.wakeAt === "string" ? item.wakeAt : null,
      wakeReason: typeof item.wakeReason === "string" ? item.wakeReason : null,
      storedAt: typeof item.storedAt === "string" ? item.storedAt : null,
      failure: failure ? { error: String(failure.error), cause: String(failure.cause), at: String(failure.at) } : null,
    };
  }

  /**
   * Keeps the waiting task's token. An older plan never replaces a newer one (a late retry of an
   * earlier task); returns false then.
   */
  async storeToken(
    agencyId: string,
    letterId: string,
    wait: { token: string; plannedVersion: number; wakeAt: string; reason: string },
    at: Date,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: this.key(agencyId, letterId),
          UpdateExpression:
            "SET taskToken = :token, plannedVersion = :v, wakeAt = :wakeAt, wakeReason = :reason, storedAt = :at, #type = :type, letterId = :letterId REMOVE failure",
          ConditionExpression: "attribute_not_exists(plannedVersion) OR plannedVersion <= :v",
          ExpressionAttributeNames: { "#type": "type" },
          ExpressionAttributeValues: {
            ":token": wait.token,
            ":v": wait.plannedVersion,
            ":wakeAt": wait.wakeAt,
            ":reason": wait.reason,
            ":at": at.toISOString(),
            ":type": "workflow",
            ":letterId": letterId,
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === "ConditionalCheckFailedException") return false;
      throw error;
    }
  }

  /** The workflow gave up on this letter (`RecordFailure`): kept for the operator, with the alarm. */
  async recordFailure(agencyId: string, letterId: string, failure: { error: string; cause: string }, at: Date): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: this.key(agencyId, letterId),
        UpdateExpression: "SET failure = :failure, #type = :type, letterId = :letterId REMOVE taskToken",
        ExpressionAttributeNames: { "#type": "type" },
        ExpressionAttributeValues: {
          ":failure": { error: failure.error.slice(0, 256), cause: failure.cause.slice(0, 4_000), at: at.toISOString() },
          ":type": "workflow",
          ":letterId": letterId,
        },
      }),
    );
  }
}

/**
 * Starts and signals letter workflows through the Step Functions API. Every call is safe to repeat:
 * a second start of the same letter, or a signal to a token that was answered already, is a no-op.
 */
export class LetterWorkflowSignals {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly store: LetterWorkflowStore,
  ) {}

  /** Starts the letter's execution, named by the letter id; an existing one is left as it is. */
  async start(agencyId: string, letterId: string): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name: letterId, input: JSON.stringify({ agencyId, letterId }) }),
      );
    } catch (error) {
      if (!isHarmlessSignalError(error)) throw error;
    }
  }

  /**
   * Tells the waiting execution that the letter reached `decision.version`, unless the workflow
   * planned for that version (or a later one) already. Returns whether a token was answered.
   */
  async signal(agencyId: string, letterId: string, decision: WorkflowDecision): Promise<boolean> {
    const item = await this.store.get(agencyId, letterId);
    if (!item?.taskToken || item.plannedVersion >= decision.version) return false;
    return this.answer(item.taskToken, decision);
  }

  /** Answers a task token; false when it was answered already or timed out. */
  async answer(taskToken: string, decision: WorkflowDecision): Promise<boolean> {
    try {
      await this.sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(decision) }));
      return true;
    } catch (error) {
      if (isHarmlessSignalError(error)) return false;
      throw error;
    }
  }
}
