import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { z } from "zod";
import { decideAccess, type AccessRule, type Principal } from "../core/permissions";
import { routes as routeTable } from "../http/routes";
import {
  AppError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
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

/**
 * A route of a group. `principal` is the verified caller on `user` routes (never null there) and
 * null on `public` routes; use `signedIn(principal)` to get it typed.
 */
export type RouteHandler = (event: APIGatewayProxyEvent, context: Context, principal: Principal | null) => Promise<HttpResult>;

/** A route's access rule as declared in the route table. */
export interface DeclaredRoute extends AccessRule {
  readonly method: string;
  readonly path: string;
}

export interface HttpHandlerOptions {
  /** The route table the routes must be declared in; defaults to the API's (`functions/http/routes.ts`). */
  routes?: readonly DeclaredRoute[];
  /** Resolves the verified caller of a request; required when any route of the group needs a user. */
  authenticate?: (event: APIGatewayProxyEvent) => Promise<Principal>;
  /** Turns errors of lower layers (stores) into typed HTTP errors before they are mapped. */
  mapError?: (error: unknown) => unknown;
}

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
 * Wraps a route group in the shared middy stack: request logging context, the access check,
 * error mapping to the `{"error":{code,message,details?}}` shape, and JSON responses. Routes are
 * looked up by `"<METHOD> <resource>"`, the API Gateway resource path that both the cloud and the
 * local gateway set.
 *
 * Access is enforced here for every route, from the route table: a `user` route gets a verified
 * caller (401 otherwise) who holds one of the route's roles (403 otherwise), decided by
 * `core/permissions`. A route missing from the table fails at load, so none can skip the check.
 */
export function httpHandler(routeMap: Record<string, RouteHandler>, options: HttpHandlerOptions = {}) {
  const table = options.routes ?? routeTable;
  const rules = new Map<string, AccessRule>();
  for (const key of Object.keys(routeMap)) {
    const declared = table.find((r) => `${r.method} ${r.path}` === key);
    if (!declared) throw new Error(`Route ${key} is not declared in the route table`);
    if (declared.auth === "user" && !options.authenticate) throw new Error(`Route ${key} needs a user, but no authenticate was given`);
    rules.set(key, declared);
  }

  const dispatch = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const key = `${event.httpMethod} ${event.resource}`;
    const route = routeMap[key];
    const rule = rules.get(key);
    if (!route || !rule) throw new NotFoundError(`No route for ${event.httpMethod} ${event.path}`);
    const principal = rule.auth === "user" && options.authenticate ? await options.authenticate(event) : null;
    const decision = decideAccess(principal, rule);
    if (!decision.allowed) {
      throw decision.reason === "UNAUTHENTICATED" ? new UnauthenticatedError() : new ForbiddenError();
    }
    if (principal) logger.appendKeys({ agencyId: principal.agencyId, userId: principal.userId });
    return toResponse(await route(event, context, principal));
  };

  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(dispatch).use({
    before: (request) => {
      logger.appendKeys({ requestId: request.event.requestContext?.requestId, route: request.event.resource });
    },
    onError: (request) => {
      const error = options.mapError ? options.mapError(request.error) : request.error;
      const { status, body } = toErrorBody(error);
      if (error instanceof AppError) {
        logger.info("request rejected", { code: body.error.code, status });
      } else {
        logger.error("request failed", { error: error instanceof Error ? error : String(error) });
      }
      logger.removeKeys(["agencyId", "userId"]);
      request.response = toResponse({ status, body });
    },
    after: () => {
      logger.removeKeys(["requestId", "route", "agencyId", "userId"]);
    },
  });
}

/** The caller of a `user` route (the route table guarantees one; this only narrows the type). */
export function signedIn(principal: Principal | null): Principal {
  if (!principal) throw new UnauthenticatedError();
  return principal;
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
