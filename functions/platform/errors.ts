/**
 * Typed errors thrown anywhere in the functions and mapped to HTTP exactly once, at the handler
 * edge (see `http.ts`). Codes and statuses are those of DESIGN.md section 6.
 */

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  DOMAIN_NOT_ALLOWED: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INVALID_TRANSITION: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = ERROR_STATUS[code];
    this.details = options.details;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super("VALIDATION_FAILED", message, { details });
  }
}
export class UnauthenticatedError extends AppError {
  constructor(message = "Sign in to continue") {
    super("UNAUTHENTICATED", message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message = "You are not allowed to do this") {
    super("FORBIDDEN", message);
  }
}
export class NotFoundError extends AppError {
  constructor(message = "Not found") {
    super("NOT_FOUND", message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super("CONFLICT", message, options);
  }
}
export class InvalidTransitionError extends AppError {
  constructor(message: string, details?: unknown) {
    super("INVALID_TRANSITION", message, { details });
  }
}
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super("PAYLOAD_TOO_LARGE", message);
  }
}
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super("UNSUPPORTED_MEDIA_TYPE", message);
  }
}
export class RateLimitedError extends AppError {
  constructor(message = "Too many requests; try again later") {
    super("RATE_LIMITED", message);
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** The response body for an error; unknown errors never leak their message or stack. */
export function toErrorBody(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof AppError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: "Something went wrong on our side" } } };
}
