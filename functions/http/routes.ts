/**
 * The single list of the HTTP API (DESIGN.md section 2). The CDK app builds API Gateway resources
 * from it and the local gateway routes with it, so the two cannot drift.
 *
 * This module is pure data (it imports only pure `core` modules for role lists and action names), so `lib/` may read it without
 * pulling in any Lambda code. Each `group` is one Lambda function whose entry is `functions/http/<group>.ts`
 * (or, for `localOnly` routes, a handler of the embedded runtime in `local/`).
 */

import { AUDIT_VERIFIER_ROLES } from "../core/audit";
import { REPORT_ROLES } from "../core/dashboard";
import { FILE_MANAGER_ROLES } from "../core/files";
import { LETTER_ACTIONS, LETTER_REGISTRAR_ROLES } from "../core/letters";
import { rolesFor } from "../core/permissions";
import type { Role } from "../core/roles";

export { ROLES, type Role } from "../core/roles";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Route groups deployed as Lambda functions, one function per group. */
export const HANDLER_GROUPS = [
  "health",
  "auth",
  "me",
  "agencies",
  "departments",
  "users",
  "settings",
  "files",
  "letters",
  "attachments",
  "audit",
  "search",
  "dashboard",
] as const;
export type HandlerGroup = (typeof HANDLER_GROUPS)[number];

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway resource path, with `{name}` path parameters. */
  readonly path: string;
  /** The Lambda function (route group) serving the route, or `dev` for local-only routes. */
  readonly group: HandlerGroup | "dev";
  /** `public` routes need no token; `user` routes need a verified token. */
  readonly auth: "public" | "user";
  /** Roles allowed to call the route; absent means any signed-in user. */
  readonly roles?: readonly Role[];
  /** Exists only in the embedded runtime (`npm start`); 404 in the cloud. */
  readonly localOnly?: boolean;
}

export const routes: readonly RouteSpec[] = [
  { method: "GET", path: "/api/health", group: "health", auth: "public" },
  // Identity: sign in with a one-time code sent to the official address.
  { method: "POST", path: "/api/auth/otp", group: "auth", auth: "public" },
  { method: "POST", path: "/api/auth/token", group: "auth", auth: "public" },
  { method: "GET", path: "/api/me", group: "me", auth: "user" },
  { method: "PATCH", path: "/api/me", group: "me", auth: "user" },
  { method: "GET", path: "/api/me/notifications", group: "me", auth: "user" },
  // Platform and agency administration; roles come from core/permissions.
  { method: "GET", path: "/api/agencies", group: "agencies", auth: "user", roles: rolesFor("agencies.list") },
  { method: "POST", path: "/api/agencies", group: "agencies", auth: "user", roles: rolesFor("agencies.create") },
  { method: "GET", path: "/api/departments", group: "departments", auth: "user" },
  { method: "POST", path: "/api/departments", group: "departments", auth: "user", roles: rolesFor("departments.create") },
  { method: "GET", path: "/api/users", group: "users", auth: "user" },
  { method: "POST", path: "/api/users", group: "users", auth: "user", roles: rolesFor("users.create") },
  { method: "GET", path: "/api/users/{id}", group: "users", auth: "user" },
  { method: "PATCH", path: "/api/users/{id}", group: "users", auth: "user", roles: rolesFor("users.update") },
  { method: "GET", path: "/api/settings", group: "settings", auth: "user", roles: rolesFor("settings.read") },
  { method: "PUT", path: "/api/settings", group: "settings", auth: "user", roles: rolesFor("settings.update") },
  // Registry files and letters; the fine rules (who may act on which letter) are in core.
  { method: "POST", path: "/api/files", group: "files", auth: "user", roles: FILE_MANAGER_ROLES },
  { method: "GET", path: "/api/files", group: "files", auth: "user" },
  { method: "GET", path: "/api/files/{id}", group: "files", auth: "user" },
  { method: "POST", path: "/api/files/{id}/close", group: "files", auth: "user", roles: FILE_MANAGER_ROLES },
  { method: "POST", path: "/api/files/{id}/reopen", group: "files", auth: "user", roles: FILE_MANAGER_ROLES },
  { method: "POST", path: "/api/letters", group: "letters", auth: "user", roles: LETTER_REGISTRAR_ROLES },
  { method: "GET", path: "/api/letters", group: "letters", auth: "user" },
  { method: "GET", path: "/api/letters/{id}", group: "letters", auth: "user" },
  ...LETTER_ACTIONS.map((action): RouteSpec => ({ method: "POST", path: `/api/letters/{id}/${action}`, group: "letters", auth: "user" })),
  { method: "POST", path: "/api/letters/{id}/attachments", group: "attachments", auth: "user" },
  { method: "POST", path: "/api/letters/{id}/attachments/{aid}/complete", group: "attachments", auth: "user" },
  { method: "GET", path: "/api/letters/{id}/attachments/{aid}", group: "attachments", auth: "user" },
  { method: "GET", path: "/api/audit/verify", group: "audit", auth: "user", roles: AUDIT_VERIFIER_ROLES },
  { method: "GET", path: "/api/search", group: "search", auth: "user" },
  // Dashboard and reports: counters kept by the transitions, read by key.
  { method: "GET", path: "/api/dashboard", group: "dashboard", auth: "user" },
  { method: "GET", path: "/api/dashboard/department", group: "dashboard", auth: "user", roles: REPORT_ROLES },
  { method: "GET", path: "/api/reports/handled", group: "dashboard", auth: "user", roles: REPORT_ROLES },
  { method: "GET", path: "/api/dev/mailbox", group: "dev", auth: "public", localOnly: true },
  { method: "GET", path: "/api/dev/failed-mail", group: "dev", auth: "public", localOnly: true },
  { method: "POST", path: "/api/dev/digest", group: "dev", auth: "public", localOnly: true },
];

/** Path of the handler entry of a route group, relative to the repository root. */
export function handlerEntry(group: HandlerGroup): string {
  return `functions/http/${group}.ts`;
}
