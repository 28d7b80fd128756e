/**
 * Who may do what, decided in one place (DESIGN.md section 1 and 6). Pure: the HTTP layer asks
 * these functions and maps a refusal to 401, 403 or 404.
 *
 * Two questions are answered here:
 * - role: may a caller with these roles use this route or action at all (`decideAccess`);
 * - tenant: is this record the caller's own agency's (`isOwnAgency`). A record of another agency
 *   is answered exactly like a missing one (404), so nothing of one agency is visible to another.
 */
import type { Language } from "./directory";
import { ROLES, type Role } from "./roles";

/** The verified caller, read from the directory (never from the request). */
export interface Principal {
  userId: string;
  agencyId: string;
  agencyCode: string;
  email: string;
  name: string;
  roles: Role[];
  departmentId: string | null;
  supervisorId: string | null;
  language: Language;
}

/**
 * Actions of the identity and administration API and the roles allowed to perform them.
 * An action absent here is open to every signed-in user of the agency. The route table takes its
 * `roles` from this map, so the deployed API and the checks cannot disagree.
 */
export const ACTION_ROLES = {
  "agencies.list": ["operator"],
  "agencies.create": ["operator"],
  "departments.create": ["admin"],
  "users.create": ["admin"],
  "users.update": ["admin"],
  "settings.read": ["admin"],
  "settings.update": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof ACTION_ROLES;

export function rolesFor(action: Action): readonly Role[] {
  return ACTION_ROLES[action];
}

/** What a route requires: no token at all, or a signed-in user holding one of `roles` (any when absent). */
export interface AccessRule {
  readonly auth: "public" | "user";
  readonly roles?: readonly Role[];
}

export type AccessDecision = { allowed: true } | { allowed: false; reason: "UNAUTHENTICATED" | "FORBIDDEN" };

export function hasAnyRole(principal: Pick<Principal, "roles">, roles: readonly Role[]): boolean {
  return roles.some((role) => principal.roles.includes(role));
}

/** Whether a caller (null: no valid token) may use a route or action with this rule. */
export function decideAccess(principal: Principal | null, rule: AccessRule): AccessDecision {
  if (rule.auth === "public") return { allowed: true };
  if (principal === null) return { allowed: false, reason: "UNAUTHENTICATED" };
  if (rule.roles === undefined || rule.roles.length === 0) return { allowed: true };
  return hasAnyRole(principal, rule.roles) ? { allowed: true } : { allowed: false, reason: "FORBIDDEN" };
}

export function mayPerform(principal: Principal, action: Action): boolean {
  return decideAccess(principal, { auth: "user", roles: rolesFor(action) }).allowed;
}

/** Tenant isolation: true only for records of the caller's own agency. Callers answer 404 otherwise. */
export function isOwnAgency(principal: Pick<Principal, "agencyId">, agencyId: string | undefined | null): boolean {
  return typeof agencyId === "string" && agencyId.length > 0 && agencyId === principal.agencyId;
}

/**
 * Roles a caller may grant. The platform `operator` role reaches every agency, so only an operator
 * may grant it; an agency administrator grants the agency roles.
 */
export function grantableRoles(principal: Pick<Principal, "roles">): readonly Role[] {
  return principal.roles.includes("operator") ? ROLES : ROLES.filter((role) => role !== "operator");
}

/** Roles in `requested` that the caller may not grant (empty when the request is allowed). */
export function ungrantableRoles(principal: Pick<Principal, "roles">, requested: readonly Role[]): Role[] {
  const allowed = grantableRoles(principal);
  return requested.filter((role) => !allowed.includes(role));
}
