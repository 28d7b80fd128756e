import { useCallback, useMemo } from "react";
import { useAllUsers } from "../../directory/api/users";

/** Names for the user ids a letter carries (assignee, actors, authors); "…" while the directory loads, an unknown id as itself. */
export function useUserNames(): (id: string | null | undefined) => string {
  const users = useAllUsers().data;
  const byId = useMemo(() => new Map((users ?? []).map((user) => [user.id, user.name])), [users]);
  return useCallback((id) => (!id ? "" : users ? (byId.get(id) ?? id) : "…"), [byId, users]);
}
