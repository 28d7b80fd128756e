import { TransactionCanceledException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from "@aws-sdk/lib-dynamodb";
import type { Json } from "./paths";

/**
 * Persistence of the engine in one DynamoDB table (`pk`/`sk`):
 *   EXEC#<arn> / EXEC          the execution and its cursor (conditional on `version`)
 *   EXEC#<arn> / EV#<id>       its history events, in order
 *   TOKEN#<token> / TOKEN      a task token and the step it belongs to
 *   TIMER / <due>#<arn>#...    timers sorted by due time (waits, task timeouts, retries)
 *   RUNNING / <arn>            running executions, to resume after a restart
 * Every read on the hot path is a GetItem or a Query on a key.
 */

export type Phase = "ready" | "invoking" | "waitingToken" | "waiting" | "retryWait";
export type ExecutionStatus = "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED";

export interface Cursor {
  state: string;
  /** Increases on every state entry and every attempt, so late signals for an old step are ignored. */
  step: number;
  input: Json;
  enteredAt: number;
  entered: boolean;
  phase: Phase;
  retries: number[];
  token?: string;
  timers: string[];
  /** For a Wait: the output and next state to take when its timer fires. */
  pending?: { output: Json; next: string | null };
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  stateMachineName: string;
  name: string;
  status: ExecutionStatus;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  startDate: number;
  stopDate?: number;
  version: number;
  eventSeq: number;
  cursor?: Cursor;
  executionTimer?: string;
}

export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  details?: { field: string; value: Record<string, Json> };
}

export type TimerKind = "wait" | "retry" | "taskTimeout" | "executionTimeout";
export interface TimerItem {
  sk: string;
  executionArn: string;
  step: number;
  kind: TimerKind;
  due: number;
}

export interface TokenItem {
  token: string;
  executionArn: string;
  step: number;
  status: "WAITING" | "TIMED_OUT";
}

export type Key = { pk: string; sk: string };
export type Put = Key & Record<string, unknown>;

export interface Commit {
  record: ExecutionRecord;
  /** The version read before the change; undefined when the execution is being created. */
  expectedVersion?: number;
  events: HistoryEvent[];
  puts: Put[];
  deletes: Key[];
}

/** Another writer changed the execution first; reload and decide again. */
export class ConflictError extends Error {
  constructor(readonly reason: "exists" | "version") {
    super(reason === "exists" ? "The execution already exists" : "The execution changed concurrently");
    this.name = "ConflictError";
  }
}

const pad = (n: number, width: number): string => String(Math.max(0, Math.floor(n))).padStart(width, "0");
export const execKey = (arn: string): Key => ({ pk: `EXEC#${arn}`, sk: "EXEC" });
export const tokenKey = (token: string): Key => ({ pk: `TOKEN#${token}`, sk: "TOKEN" });
export const runningKey = (arn: string): Key => ({ pk: "RUNNING", sk: arn });
export const timerKey = (sk: string): Key => ({ pk: "TIMER", sk });

export function timerItem(executionArn: string, step: number, kind: TimerKind, due: number): { sk: string; put: Put } {
  const sk = `${pad(due, 15)}#${executionArn}#${step}#${kind}`;
  return { sk, put: { ...timerKey(sk), executionArn, step, kind, due } };
}

export function tokenItem(item: TokenItem): Put {
  return { ...tokenKey(item.token), ...item };
}

export class EngineStore {
  private readonly doc: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: execKey(arn), ConsistentRead: true }));
    return out.Item ? (JSON.parse(out.Item.record as string) as ExecutionRecord) : undefined;
  }

  async getToken(token: string): Promise<TokenItem | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: tokenKey(token), ConsistentRead: true }));
    if (!out.Item) return undefined;
    const { executionArn, step, status } = out.Item as Record<string, unknown>;
    return { token, executionArn: String(executionArn), step: Number(step), status: status === "TIMED_OUT" ? "TIMED_OUT" : "WAITING" };
  }

  /** Writes the execution, its new events, timers and tokens in one transaction, conditional on the version. */
  async commit(commit: Commit): Promise<ExecutionRecord> {
    const record: ExecutionRecord = { ...commit.record, version: (commit.expectedVersion ?? 0) + 1 };
    const items: NonNullable<TransactWriteCommandInput["TransactItems"]> = [
      {
        Put: {
          TableName: this.table,
          Item: { ...execKey(record.executionArn), version: record.version, status: record.status, record: JSON.stringify(record) },
          ...(commit.expectedVersion === undefined
            ? { ConditionExpression: "attribute_not_exists(pk)" }
            : { ConditionExpression: "version = :v", ExpressionAttributeValues: { ":v": commit.expectedVersion } }),
        },
      },
      ...commit.events.map((event) => ({
        Put: {
          TableName: this.table,
          Item: { pk: `EXEC#${record.executionArn}`, sk: `EV#${pad(event.id, 9)}`, event: JSON.stringify(event) },
        },
      })),
      ...commit.puts.map((item) => ({ Put: { TableName: this.table, Item: item } })),
      ...commit.deletes.map((key) => ({ Delete: { TableName: this.table, Key: key } })),
    ];
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === "ConditionalCheckFailed") {
        throw new ConflictError(commit.expectedVersion === undefined ? "exists" : "version");
      }
      throw error;
    }
    return record;
  }

  async runningExecutions(): Promise<string[]> {
    const arns: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ TableName: this.table, KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": "RUNNING" }, ExclusiveStartKey: start }),
      );
      for (const item of out.Items ?? []) arns.push(String(item.sk));
      start = out.LastEvaluatedKey;
    } while (start);
    return arns;
  }

  /** Timers due at or before `nowMs`, earliest first. */
  async dueTimers(nowMs: number, limit = 100): Promise<TimerItem[]> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :p AND sk < :s",
        ExpressionAttributeValues: { ":p": "TIMER", ":s": pad(nowMs + 1, 15) },
        Limit: limit,
        ConsistentRead: true,
      }),
    );
    return (out.Items ?? []).map(toTimer);
  }

  /** The due time of the earliest timer, if any. */
  async nextTimerDue(): Promise<number | undefined> {
    const out = await this.doc.send(
      new QueryCommand({ TableName: this.table, KeyConditionExpression: "pk = :p", ExpressionAttributeValues: { ":p": "TIMER" }, Limit: 1, ConsistentRead: true }),
    );
    const item = out.Items?.[0];
    return item ? Number(item.due) : undefined;
  }

  async deleteTimer(sk: string): Promise<void> {
    await this.doc.send(new DeleteCommand({ TableName: this.table, Key: timerKey(sk) }));
  }

  async history(
    arn: string,
    options: { limit: number; reverse: boolean; after?: string },
  ): Promise<{ events: HistoryEvent[]; next?: string }> {
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.table,
        KeyConditionExpression: "pk = :p AND begins_with(sk, :e)",
        ExpressionAttributeValues: { ":p": `EXEC#${arn}`, ":e": "EV#" },
        ScanIndexForward: !options.reverse,
        Limit: options.limit,
        ExclusiveStartKey: options.after ? { pk: `EXEC#${arn}`, sk: options.after } : undefined,
        ConsistentRead: true,
      }),
    );
    const events = (out.Items ?? []).map((item) => JSON.parse(String(item.event)) as HistoryEvent);
    const last = out.LastEvaluatedKey?.sk;
    return { events, next: typeof last === "string" ? last : undefined };
  }
}

function toTimer(item: Record<string, unknown>): TimerItem {
  const kind = String(item.kind);
  return {
    sk: String(item.sk),
    executionArn: String(item.executionArn),
    step: Number(item.step),
    kind: (["wait", "retry", "taskTimeout", "executionTimeout"].includes(kind) ? kind : "wait") as TimerKind,
    due: Number(item.due),
  };
}
