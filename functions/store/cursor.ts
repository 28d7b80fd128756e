import { InvalidCursorError } from "./errors";

/**
 * List cursors: the DynamoDB `LastEvaluatedKey`, as opaque base64url JSON. A cursor is accepted
 * only for the list it came from (its partition and, for a query narrowed with `begins_with`, its
 * sort-key prefix), so a cursor cannot be used to read another agency's partition, and a tampered
 * or reused one is a 400, never a 500: DynamoDB refuses a start key outside the key condition.
 */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | null {
  if (!key) return null;
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/**
 * Decodes a cursor, checking that it has exactly the key attributes `attributes` (all strings),
 * that those in `expected` have the expected values, and that those in `prefixes` start with the
 * given prefix (the `begins_with` of the query's sort-key condition).
 */
export function decodeCursor(
  cursor: string | undefined,
  attributes: readonly string[],
  expected: Record<string, string>,
  prefixes: Record<string, string> = {},
): Record<string, string> | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new InvalidCursorError();
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidCursorError();
  const entries = Object.entries(value);
  if (entries.length !== attributes.length) throw new InvalidCursorError();
  const key: Record<string, string> = {};
  for (const [name, v] of entries) {
    if (!attributes.includes(name) || typeof v !== "string" || v.length > 1024) throw new InvalidCursorError();
    key[name] = v;
  }
  for (const [name, v] of Object.entries(expected)) {
    if (key[name] !== v) throw new InvalidCursorError();
  }
  for (const [name, prefix] of Object.entries(prefixes)) {
    if (!key[name]?.startsWith(prefix)) throw new InvalidCursorError();
  }
  return key;
}
