import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { DescribeExecutionCommand, SFNClient, type DescribeExecutionCommandOutput } from "@aws-sdk/client-sfn";
import { NOTIFICATIONS_ENTRY, STREAM_CONSUMERS, WORKFLOW_SIGNALS_ENTRY } from "../../../functions/streams/consumers";
import { LetterWorkflowStore, type WorkflowItem } from "../../../functions/store/letter-workflow";
import { LETTER_WORKFLOW_DEFINITION, LETTER_WORKFLOW_NAME, WORKFLOW_FUNCTIONS } from "../../../functions/workflow/functions";
import { freePort } from "../../../local/engines/ports";
import { startLocalMailbox, type LocalMailbox } from "../../../local/mail";
import { startLocalStepFunctions, stateMachineArnFor, type LambdaHandler, type LocalStepFunctions } from "../../../local/sfn";
import { startStreamPoller, type StreamHandler, type StreamPoller } from "../../../local/streams/poller";
import { DEMO, startHarness, type ApiResponse, type Harness, type LetterBody, type Person } from "../letters/harness";
import { LOCAL_AWS, dynamoEndpoint } from "../support/engines";

/**
 * The letter workflow end to end, wired as the embedded runtime wires it: the letters API behind
 * the local gateway, the local Step Functions engine running `statemachines/letter-workflow.asl.json`
 * with the real task handlers, and the stream poller feeding the workflow signaller and the
 * notifications consumer into a local mailbox. The engine's clock is `Date.now()` plus an offset
 * the tests move (`advance`), and the engine can be stopped and started on the same tables.
 */

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const REGION = "af-south-1";
const HOUR = 3_600_000;
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

const TASKS: Record<string, () => Promise<{ handler: LambdaHandler }>> = {
  PlanNextWaitFunctionArn: () => import("../../../functions/workflow/plan-next-wait"),
  StoreTaskTokenFunctionArn: () => import("../../../functions/workflow/store-task-token"),
  HandleTimerFunctionArn: () => import("../../../functions/workflow/handle-timer"),
  RecordFailureFunctionArn: () => import("../../../functions/workflow/record-failure"),
};

const CONSUMERS: Record<string, () => Promise<{ handler: StreamHandler }>> = {
  [WORKFLOW_SIGNALS_ENTRY]: () => import("../../../functions/streams/workflow-signals"),
  [NOTIFICATIONS_ENTRY]: () => import("../../../functions/streams/notifications"),
};

export interface HistoryItem {
  version: number;
  at: string;
  actorId: string;
  action: string;
  fromStatus: string | null;
  toStatus: string;
  assigneeId: string;
  previousAssigneeId?: string;
  reason?: string;
  note?: string;
  dueAt?: string;
  supervisorId?: string;
}

export interface LetterDetails extends LetterBody {
  overdue: boolean;
  history: HistoryItem[];
  allowedActions: string[];
}

export interface People {
  registry: Person;
  supervisor: Person;
  officerA: Person;
  officerB: Person;
  admin: Person;
}

export interface WorkflowHarness extends Harness {
  people: People;
  mailbox: LocalMailbox;
  sfn: SFNClient;
  engine: { start(): Promise<void>; stop(): Promise<void>; runDueTimers(): Promise<void> };
  /** The engine's clock: real time plus what the test advanced. */
  now(): number;
  /** Moves the engine's clock forward and fires the timers that came due. */
  advance(ms: number): Promise<void>;
  register(by: Person, body: { assigneeId: string; dueAt?: string; requiresApproval?: boolean; subject?: string; classification?: string }): Promise<LetterBody>;
  act(by: Person, letterId: string, action: string, body?: Record<string, unknown>): Promise<ApiResponse<LetterBody>>;
  letter(by: Person, letterId: string): Promise<LetterDetails>;
  workflowItem(letterId: string): Promise<WorkflowItem | undefined>;
  execution(letterId: string): Promise<DescribeExecutionCommandOutput | undefined>;
  /** Waits until the workflow has caught up with the letter: waiting on its current version, or finished once it is closed. */
  settled(letterId: string): Promise<void>;
  /** Waits until the letter's history holds `count` events of `action`; returns the letter. */
  eventually(letterId: string, action: string, count?: number): Promise<LetterDetails>;
  /** Resolves once the stream consumers have handled every change so far. */
  drained(): Promise<void>;
  /**
   * Holds every token-storing task before it stores its token, until `release` (to stage the race
   * in which a letter moves on meanwhile); `held(letterId)` resolves once that letter's task waits.
   */
  holdTokenTasks(): { held(letterId: string): Promise<void>; release(): void };
}

export { HOUR };

export async function until<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startWorkflowHarness(label: string): Promise<WorkflowHarness> {
  const dataDir = mkdtempSync(join(tmpdir(), `ofisi-${label}-mail-`));
  const mailbox = await startLocalMailbox({ dataDir, logger: quiet });
  const sfnPort = await freePort();
  const endpoint = `http://127.0.0.1:${sfnPort}`;
  const stateMachineArn = stateMachineArnFor(REGION, LETTER_WORKFLOW_NAME);
  let h: Harness | undefined;
  let engine: LocalStepFunctions | undefined;
  let poller: StreamPoller | undefined;
  const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint() });
  const sfn = new SFNClient({ ...LOCAL_AWS, endpoint, maxAttempts: 1 });
  try {
    h = await startHarness(label, {
      env: { AWS_ENDPOINT_URL_SFN: endpoint, STATE_MACHINE_ARN: stateMachineArn, AWS_ENDPOINT_URL_SESV2: mailbox.endpoint },
    });
    const base = h;
    const tasks = new Map<string, LambdaHandler>();
    for (const spec of WORKFLOW_FUNCTIONS) {
      const load = TASKS[spec.placeholder];
      if (!load) throw new Error(`No handler for ${spec.placeholder}`);
      tasks.set(spec.placeholder, (await load()).handler);
    }
    let hold: { letterIds: Set<string>; gate: Promise<void> } | undefined;
    const storeToken = tasks.get("StoreTaskTokenFunctionArn");
    if (storeToken) {
      tasks.set("StoreTaskTokenFunctionArn", async (event, context) => {
        const held = hold;
        if (held) {
          held.letterIds.add(String((event as { letterId?: unknown }).letterId));
          await held.gate;
        }
        return storeToken(event, context);
      });
    }
    let offset = 0;
    const now = () => Date.now() + offset;
    const definition = readFileSync(join(ROOT, LETTER_WORKFLOW_DEFINITION), "utf8");
    const control = {
      start: async () => {
        engine ??= await startLocalStepFunctions({
          dynamo: base.dynamo,
          tableName: `${base.tables.letters}-engine`,
          region: REGION,
          port: sfnPort,
          stateMachines: [{ name: LETTER_WORKFLOW_NAME, definition, substitutions: Object.fromEntries(WORKFLOW_FUNCTIONS.map((f) => [f.placeholder, f.placeholder])) }],
          resolveLambda: (name) => tasks.get(name),
          now,
        });
      },
      stop: async () => {
        const running = engine;
        engine = undefined;
        await running?.stop();
      },
      runDueTimers: async () => {
        await engine?.runDueTimers();
      },
    };
    await control.start();

    const consumers = await Promise.all(
      STREAM_CONSUMERS.filter((spec) => CONSUMERS[spec.entry]).map(async (spec) => ({
        name: spec.name,
        tableName: base.tables[spec.table],
        handler: (await CONSUMERS[spec.entry]!()).handler,
        batchSize: spec.batchSize,
      })),
    );
    poller = await startStreamPoller({
      dynamo: base.dynamo,
      streams,
      checkpointTable: `${base.tables.letters}-checkpoints`,
      consumers,
      pollIntervalMs: 100,
      retryBackoffMs: 100,
      maxAttempts: 10_000,
      logger: quiet,
    });
    const running = poller;

    const people: People = {
      registry: await base.person(DEMO.registry),
      supervisor: await base.person(DEMO.supervisor),
      officerA: await base.person(DEMO.officerA),
      officerB: await base.person(DEMO.officerB),
      admin: await base.person(DEMO.admin),
    };
    const workflowStore = new LetterWorkflowStore(base.doc, base.tables.letters);

    const letter = async (by: Person, letterId: string): Promise<LetterDetails> => {
      const res = await base.call<LetterDetails>("GET", `/api/letters/${letterId}`, { token: by.token });
      if (res.status !== 200) throw new Error(`GET letter ${letterId}: ${res.status} ${res.text}`);
      return res.body;
    };
    const execution = async (letterId: string) => {
      try {
        return await sfn.send(new DescribeExecutionCommand({ executionArn: `${stateMachineArn.replace(":stateMachine:", ":execution:")}:${letterId}` }));
      } catch (error) {
        if (error instanceof Error && error.name === "ExecutionDoesNotExist") return undefined;
        throw error;
      }
    };

    return {
      ...base,
      people,
      mailbox,
      sfn,
      engine: control,
      now,
      advance: async (ms) => {
        offset += ms;
        await control.runDueTimers();
      },
      register: async (by, body) => {
        const res = await base.call<LetterBody>("POST", "/api/letters", {
          token: by.token,
          body: { subject: body.subject ?? "Ombi la vifaa vya ofisi", direction: "INCOMING", sender: { name: "Mkuu wa Wilaya" }, ...body },
        });
        if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
        return res.body;
      },
      act: (by, letterId, action, body = {}) => base.call<LetterBody>("POST", `/api/letters/${letterId}/${action}`, { token: by.token, body }),
      letter,
      workflowItem: (letterId) => workflowStore.get(base.demo.agencyId, letterId),
      execution,
      settled: async (letterId) => {
        await until(`the workflow of ${letterId} to catch up`, async () => {
          const [current, item, run] = await Promise.all([letter(people.registry, letterId), workflowStore.get(base.demo.agencyId, letterId), execution(letterId)]);
          if (current.status === "CLOSED") return run?.status === "SUCCEEDED";
          return run?.status === "RUNNING" && item?.plannedVersion === current.version;
        });
      },
      eventually: (letterId, action, count = 1) =>
        until(`${count} ${action} event(s) on ${letterId}`, async () => {
          const current = await letter(people.registry, letterId);
          return current.history.filter((e) => e.action === action).length >= count ? current : undefined;
        }),
      drained: () => running.idle(),
      holdTokenTasks: () => {
        let open = (): void => undefined;
        const current = { letterIds: new Set<string>(), gate: new Promise<void>((resolve) => (open = resolve)) };
        hold = current;
        return {
          held: async (letterId) => {
            await until(`the token task of ${letterId} to be held`, async () => current.letterIds.has(letterId));
          },
          release: () => {
            hold = undefined;
            open();
          },
        };
      },
      stop: async () => {
        await running.stop();
        await control.stop();
        await base.stop();
        sfn.destroy();
        streams.destroy();
        await mailbox.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await poller?.stop();
    await engine?.stop();
    await h?.stop();
    sfn.destroy();
    streams.destroy();
    await mailbox.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** `ms` from the engine's now, as an ISO date-time. */
export function after(h: Pick<WorkflowHarness, "now">, ms: number): string {
  return new Date(h.now() + ms).toISOString();
}
