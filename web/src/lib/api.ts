import * as z from "zod";
import { clearAuthToken, getAuthToken } from "./auth-token";

/** Error codes of the API (DESIGN.md section 6) plus the ones this client raises itself. */
export type ApiErrorCode =
  | "VALIDATION_FAILED"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "INVALID_TRANSITION"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA_TYPE"
  | "RATE_LIMITED"
  | "DOMAIN_NOT_ALLOWED"
  | "NETWORK_ERROR"
  | "INVALID_RESPONSE"
  | "HTTP_ERROR"
  | (string & {});

export class ApiError extends Error {
  override readonly name = "ApiError";

  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const errorBodySchema = z.object({
  error: z.object({
    code: z.string().min(1),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export type ApiRequest<T> = {
  /** Path under `/api`, e.g. `/health` or `/letters?box=overdue`. */
  path: string;
  /** Validates the response body; the result is what the caller gets. */
  schema: z.ZodType<T>;
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, details } = parsed.data.error;
    return new ApiError(response.status, code, message, details);
  }
  return new ApiError(response.status, "HTTP_ERROR", `HTTP ${response.status}`);
}

/** The one way the web app talks to the API: same origin, JSON both ways, typed errors. */
export async function apiRequest<T>({ path, schema, method = "GET", body, headers, signal }: ApiRequest<T>): Promise<T> {
  const requestHeaders = new Headers({ Accept: "application/json", ...headers });
  if (body !== undefined) requestHeaders.set("Content-Type", "application/json");
  const token = getAuthToken();
  if (token) requestHeaders.set("Authorization", `Bearer ${token}`);

  let response: Response;
  try {
    response = await fetch(`/api${path}`, {
      method,
      headers: requestHeaders,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "same-origin",
    });
  } catch (cause) {
    if (signal?.aborted) throw cause; // Cancellation is not a failure; let the caller see the abort.
    throw new ApiError(0, "NETWORK_ERROR", "The server could not be reached", undefined, { cause });
  }

  const json = await readJson(response);
  // The one place a lapsed session ends: the token goes, and the session guard sends the user to sign in.
  if (response.status === 401 && token) clearAuthToken();
  if (!response.ok) throw toApiError(response, json);

  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(response.status, "INVALID_RESPONSE", "The server sent an unexpected response", parsed.error.issues, {
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/** A field error of a `VALIDATION_FAILED` answer: `path` is dotted, e.g. `admin.email` or `emailDomains.0`. */
export type FieldIssue = { path: string; message: string };

const fieldIssuesSchema = z.array(z.object({ path: z.string(), message: z.string() }));

/** The field errors an error carries (none for anything but a validation failure). */
export function fieldIssues(error: unknown): FieldIssue[] {
  if (!(error instanceof ApiError) || error.code !== "VALIDATION_FAILED") return [];
  const parsed = fieldIssuesSchema.safeParse(error.details);
  return parsed.success ? parsed.data : [];
}

/** An item list of the API (DESIGN.md section 6). */
export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}
