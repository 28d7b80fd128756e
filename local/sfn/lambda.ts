import { randomUUID } from "node:crypto";
import type { Context } from "aws-lambda";
import { StatesError } from "./errors";
import { toJson, type Json } from "./paths";

export type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>;
export type LambdaResolver = (functionName: string) => LambdaHandler | undefined;

const ACCOUNT = "000000000000";

/** `name`, `name:alias`, a partial or a full function ARN → the bare function name. */
export function functionNameOf(value: string): string {
  const arn = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)/.exec(value);
  if (arn?.[1]) return arn[1];
  const partial = /^(?:\d{12}:)?function:([^:]+)/.exec(value);
  if (partial?.[1]) return partial[1];
  return value.split(":")[0] ?? value;
}

function lambdaContext(functionName: string, region: string, timeoutMs: number): Context {
  const requestId = randomUUID();
  const deadline = Date.now() + timeoutMs;
  const unsupported = (): never => {
    throw new Error("Use an async handler; callback-style completion is not supported");
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:${region}:${ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: "512",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `local/${requestId}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

/**
 * Invokes a handler in process like the `lambda:invoke` integration: the payload goes through JSON,
 * a thrown error becomes a States error named after its type with the Lambda-shaped Cause.
 */
export async function invokeLambda(
  resolve: LambdaResolver,
  functionRef: string,
  payload: Json,
  region: string,
): Promise<{ payload: Json; requestId: string }> {
  const name = functionNameOf(functionRef);
  const handler = resolve(name) ?? (name === functionRef ? undefined : resolve(functionRef));
  if (!handler) {
    throw new StatesError(
      "Lambda.ResourceNotFoundException",
      `Function not found: arn:aws:lambda:${region}:${ACCOUNT}:function:${name} (Service: Lambda, Status Code: 404)`,
    );
  }
  const context = lambdaContext(name, region, 900_000);
  let result: unknown;
  try {
    result = await handler(toJson(payload), context);
  } catch (error) {
    throw lambdaError(error);
  }
  return { payload: toJson(result), requestId: context.awsRequestId };
}

export function lambdaError(error: unknown): StatesError {
  if (error instanceof Error) {
    const errorType = error.name && error.name !== "" ? error.name : "Error";
    const cause = JSON.stringify({
      errorType,
      errorMessage: error.message,
      trace: (error.stack ?? "").split("\n").slice(0, 10),
    });
    return new StatesError(errorType, cause);
  }
  return new StatesError("Lambda.Unknown", JSON.stringify({ errorType: "Lambda.Unknown", errorMessage: String(error) }));
}

/** The `lambda:invoke` result as the cloud wraps it. */
export function invokeResult(payload: Json, requestId: string): Json {
  const headers = { "Content-Type": "application/json", "X-Amz-Executed-Version": "$LATEST", "x-amzn-RequestId": requestId };
  return {
    ExecutedVersion: "$LATEST",
    Payload: payload,
    SdkHttpMetadata: { AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])), HttpHeaders: headers, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}
