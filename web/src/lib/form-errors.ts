import { ApiError, fieldIssues } from "./api";

/**
 * Sorts the field errors of an API answer onto the form's fields: an issue goes to the field
 * whose name is the longest prefix of its dotted path (`emailDomains.1` -> `emailDomains`).
 * Whatever fits no field is returned in `other`, to be shown above the form.
 */
export function fieldErrorsFrom<F extends string>(
  error: unknown,
  fields: readonly F[],
): { byField: Partial<Record<F, string>>; other: string[] } {
  const byField: Partial<Record<F, string>> = {};
  const other: string[] = [];
  for (const issue of fieldIssues(error)) {
    const field = [...fields]
      .sort((a, b) => b.length - a.length)
      .find((name) => issue.path === name || issue.path.startsWith(`${name}.`));
    if (field && byField[field] === undefined) byField[field] = issue.message;
    else if (!field) other.push(issue.message);
  }
  return { byField, other };
}

export function errorCode(error: unknown): string {
  return error instanceof ApiError ? error.code : "UNKNOWN";
}
