import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { z } from "zod";
import {
  AppError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
  ValidationError,
  toErrorBody,
} from "./errors";
import { logger } from "./logger";

/** Largest JSON body any route accepts; attachments go straight to S3, never through the API. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

export interface HttpResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text body (for CSV and the like); `body` is ignored when set. */
  text?: string;
}

export type RouteHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<HttpResult>;

const BASE_HEADERS: Record<string, string> = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
};

function toResponse(result: HttpResult): APIGatewayProxyResult {
  if (result.text !== undefined) {
    return { statusCode: result.status, headers: { ...BASE_HEADERS, ...result.headers }, body: result.text };
  }
  return {
    statusCode: result.status,
    headers: { ...BASE_HEADERS, "content-type": "application/json; charset=utf-8", ...result.headers },
    body: result.body === undefined ? "" : JSON.stringify(result.body),
  };
}

/**
 * Wraps a route group in the shared middy stack: request logging context, error mapping to the
 * `{"error":{code,message,details?}}` shape, and JSON responses. Routes are looked up by
 * `"<METHOD> <resource>"`, the API Gateway resource path that both the cloud and the local gateway set.
 */
export function httpHandler(routeMap: Record<string, RouteHandler>) {
  const dispatch = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const key = `${event.httpMethod} ${event.resource}`;
    const route = routeMap[key];
    if (!route) throw new NotFoundError(`No route for ${event.httpMethod} ${event.path}`);
    return toResponse(await route(event, context));
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(dispatch).use({
    before: (request) => {
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: request.event.resource });
    },
    onError: (request) => {
      const { status, body } = toErrorBody(request.error);
      if (request.error instanceof AppError) {
        logger.info("request rejected", { code: body.error.code, status });
      } else {
        logger.error("request failed", { error: request.error instanceof Error ? request.error : String(request.error) });
      }
      request.response = toResponse({ status, body });
    },
    after: () => {
      logger.removeKeys(["requestId", "route"]);
    },
  });
}

/** Parses and validates a JSON body with a strict schema; every failure is a 4xx naming the problem. */
export function parseJsonBody<T extends z.ZodType>(event: APIGatewayProxyEvent, schema: T): z.infer<T> {
  const raw = event.body ?? "";
  const bytes = event.isBase64Encoded ? Math.floor((raw.length * 3) / 4) : Buffer.byteLength(raw, "utf8");
  if (bytes > MAX_JSON_BODY_BYTES) {
    throw new PayloadTooLargeError(`The request body is larger than ${MAX_JSON_BODY_BYTES} bytes`);
  }
  const contentType = headerValue(event, "content-type");
  if (raw.length > 0 && contentType !== undefined && !/^application\/json\b/i.test(contentType)) {
    throw new UnsupportedMediaTypeError("The request body must be application/json");
  }
  const text = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError("The request body is not valid JSON");
  }
  return validate(schema, value, "body");
}

/** Validates query string parameters with a schema. */
export function parseQuery<T extends z.ZodType>(event: APIGatewayProxyEvent, schema: T): z.infer<T> {
  return validate(schema, event.queryStringParameters ?? {}, "query");
}

export function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join("."),
      message: issue.message,
    }));
    const first = details[0];
    const message = first ? `Invalid ${where}: ${first.path ? `${first.path}: ` : ""}${first.message}` : `Invalid ${where}`;
    throw new ValidationError(message, details);
  }
  return result.data;
}

/** A header value, looked up case-insensitively. */
export function headerValue(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}
