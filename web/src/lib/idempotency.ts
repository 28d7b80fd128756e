import { useCallback, useRef } from "react";

/**
 * An `Idempotency-Key` per form submission: the same body sent again (a double click, a retry after
 * a lost answer) carries the same key, so the server registers it once; a changed body gets a new
 * key, since the server refuses a key reused for another request.
 */
export function useIdempotencyKey(): (body: unknown) => string {
  const last = useRef<{ body: string; key: string } | null>(null);
  return useCallback((body: unknown) => {
    const json = JSON.stringify(body);
    if (last.current?.body !== json) last.current = { body: json, key: crypto.randomUUID() };
    return last.current.key;
  }, []);
}
