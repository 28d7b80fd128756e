import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { randomUUID } from "node:crypto";
import * as z from "zod";
import type { Engine } from "./engine";
import { SfnApiError } from "./errors";
import type { ExecutionRecord, HistoryEvent } from "./store";

const MAX_BODY_BYTES = 1024 * 1024;
const seconds = (ms: number): number => ms / 1000;

const schemas = {
  StartExecution: z.object({ stateMachineArn: z.string().min(1), name: z.string().optional(), input: z.string().optional(), traceHeader: z.string().optional() }),
  DescribeExecution: z.object({ executionArn: z.string().min(1) }),
  StopExecution: z.object({ executionArn: z.string().min(1), error: z.string().max(256).optional(), cause: z.string().max(32768).optional() }),
  SendTaskSuccess: z.object({ taskToken: z.string().min(1), output: z.string() }),
  SendTaskFailure: z.object({ taskToken: z.string().min(1), error: z.string().max(256).optional(), cause: z.string().max(32768).optional() }),
  SendTaskHeartbeat: z.object({ taskToken: z.string().min(1) }),
  GetExecutionHistory: z.object({
    executionArn: z.string().min(1),
    maxResults: z.number().int().min(0).max(1000).optional(),
    reverseOrder: z.boolean().optional(),
    nextToken: z.string().optional(),
    includeExecutionData: z.boolean().optional(),
  }),
  DescribeStateMachine: z.object({ stateMachineArn: z.string().min(1) }),
  ListStateMachines: z.object({ maxResults: z.number().optional(), nextToken: z.string().optional() }),
} as const;
type Operation = keyof typeof schemas;

function describe(record: ExecutionRecord): Record<string, unknown> {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    stopDate: record.stopDate === undefined ? undefined : seconds(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
    redriveCount: 0,
  };
}

function historyEvent(event: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { id: event.id, previousEventId: event.previousEventId, timestamp: seconds(event.timestamp), type: event.type };
  if (event.details) {
    const value = { ...event.details.value };
    if (!includeData) {
      delete value.input;
      delete value.output;
    }
    out[event.details.field] = value;
  }
  return out;
}

async function dispatch(engine: Engine, operation: Operation, body: unknown): Promise<unknown> {
  switch (operation) {
    case "StartExecution": {
      const input = schemas.StartExecution.parse(body);
      const out = await engine.startExecution(input.stateMachineArn, input.name, input.input);
      return { executionArn: out.executionArn, startDate: seconds(out.startDate) };
    }
    case "DescribeExecution":
      return describe(await engine.describeExecution(schemas.DescribeExecution.parse(body).executionArn));
    case "StopExecution": {
      const input = schemas.StopExecution.parse(body);
      return { stopDate: seconds(await engine.stopExecution(input.executionArn, input.error, input.cause)) };
    }
    case "SendTaskSuccess": {
      const input = schemas.SendTaskSuccess.parse(body);
      await engine.sendTaskSuccess(input.taskToken, input.output);
      return {};
    }
    case "SendTaskFailure": {
      const input = schemas.SendTaskFailure.parse(body);
      await engine.sendTaskFailure(input.taskToken, input.error, input.cause);
      return {};
    }
    case "SendTaskHeartbeat":
      await engine.sendTaskHeartbeat(schemas.SendTaskHeartbeat.parse(body).taskToken);
      return {};
    case "GetExecutionHistory": {
      const input = schemas.GetExecutionHistory.parse(body);
      let after: string | undefined;
      if (input.nextToken) {
        after = Buffer.from(input.nextToken, "base64url").toString("utf8");
        if (!after.startsWith("EV#")) throw new SfnApiError("InvalidToken", "Invalid Token: 'nextToken'");
      }
      const page = await engine.history(input.executionArn, {
        limit: input.maxResults && input.maxResults > 0 ? input.maxResults : 1000,
        reverse: input.reverseOrder ?? false,
        after,
      });
      return {
        events: page.events.map((e) => historyEvent(e, input.includeExecutionData ?? true)),
        nextToken: page.next ? Buffer.from(page.next, "utf8").toString("base64url") : undefined,
      };
    }
    case "DescribeStateMachine": {
      const machine = engine.machine(schemas.DescribeStateMachine.parse(body).stateMachineArn);
      return {
        stateMachineArn: machine.arn,
        name: machine.name,
        status: "ACTIVE",
        definition: machine.definition.text,
        roleArn: "arn:aws:iam::000000000000:role/local-stepfunctions",
        type: "STANDARD",
        creationDate: seconds(machine.createdAt),
      };
    }
    case "ListStateMachines":
      schemas.ListStateMachines.parse(body);
      return {
        stateMachines: engine.listMachines().map((m) => ({ stateMachineArn: m.arn, name: m.name, type: "STANDARD", creationDate: seconds(m.createdAt) })),
      };
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/x-amz-json-1.0",
    "content-length": Buffer.byteLength(text),
    "x-amzn-requestid": randomUUID(),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new SfnApiError("ValidationException", "Request body too large");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function handle(engine: Engine, req: IncomingMessage, res: ServerResponse, onError: (error: unknown) => void): Promise<void> {
  try {
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith("AWSStepFunctions.") ? target.slice("AWSStepFunctions.".length) : "";
    if (req.method !== "POST" || !(operation in schemas)) {
      throw new SfnApiError("UnknownOperationException", `Unknown operation ${JSON.stringify(target)}`);
    }
    const text = await readBody(req);
    let body: unknown;
    try {
      body = text.length === 0 ? {} : JSON.parse(text);
    } catch {
      throw new SfnApiError("SerializationException", "The request body is not valid JSON");
    }
    send(res, 200, (await dispatch(engine, operation as Operation, body)) ?? {});
  } catch (error) {
    if (error instanceof SfnApiError) send(res, error.status, { __type: error.type, message: error.message });
    else if (error instanceof z.ZodError) {
      send(res, 400, { __type: "ValidationException", message: error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") });
    } else {
      onError(error);
      send(res, 500, { __type: "InternalServerError", message: "The local Step Functions engine failed to handle the request" });
    }
  }
}

/** The Step Functions API (awsJson1.0) on a loopback port, for `@aws-sdk/client-sfn`. */
export function startHttpServer(engine: Engine, port: number, onError: (error: unknown) => void): Promise<Server> {
  const server = createServer((req, res) => {
    void handle(engine, req, res, onError);
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}
