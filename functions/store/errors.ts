/**
 * What the stores report besides data. They depend only on `core`, so these are plain errors that
 * the HTTP layer maps to its codes (409, 400) in one place.
 */

/** A uniqueness claim (agency code, domain, email, department code) is held already. */
export class ClaimTakenError extends Error {
  constructor(
    readonly claim: "agencyCode" | "domain" | "email" | "departmentCode" | "record",
    readonly value: string,
    options?: { cause?: unknown },
  ) {
    super(`${claim} ${value} is taken`, options);
    this.name = "ClaimTakenError";
  }
}

/** A list cursor that this store did not hand out for this list. */
export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not valid for this list");
    this.name = "InvalidCursorError";
  }
}

/** Indexes of the conditional checks that failed in a cancelled transaction, or null when it failed otherwise. */
export function failedConditions(error: unknown): number[] | null {
  if (!(error instanceof Error) || error.name !== "TransactionCanceledException") return null;
  const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  const failed: number[] = [];
  reasons.forEach((reason, index) => {
    if (reason.Code === "ConditionalCheckFailed") failed.push(index);
  });
  return failed.length > 0 ? failed : null;
}

export function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}
