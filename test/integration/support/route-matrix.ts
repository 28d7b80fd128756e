import { routes, type HandlerGroup, type RouteSpec } from "../../../functions/http/routes";

/**
 * The one rule shared by the route × role × agency matrices (`identity/matrix.test.ts` and
 * `letters/matrix.test.ts`): every route the cloud deploys has a row in one of them. Each matrix
 * owns some route groups and checks that its table names exactly their routes; both check that no
 * deployed route falls outside every matrix. A new route (or group) therefore fails a matrix test
 * until its row is written.
 */

/** The callers of every matrix, in the column order of the tables: the five roles, then no token. */
export const CALLERS = ["registry", "officer", "supervisor", "admin", "operator", "none"] as const;
export type Caller = (typeof CALLERS)[number];
export type SignedInCaller = Exclude<Caller, "none">;

/** Own agency's record (or request) vs. a foreign agency's. */
export const SCOPES = ["own", "foreign"] as const;
export type Scope = (typeof SCOPES)[number];

/** Deployed routes that have no row, with the reason. Nothing else may be left out. */
export const EXEMPT_ROUTES: Readonly<Record<string, string>> = {
  "GET /api/health": "public, and names no record and no agency",
};

/** Which matrix holds the rows of each route group. */
export const MATRIX_GROUPS = {
  identity: ["auth", "me", "agencies", "departments", "users", "settings"],
  records: ["files", "letters", "attachments", "audit", "search", "dashboard"],
} as const satisfies Record<string, readonly HandlerGroup[]>;
export type Matrix = keyof typeof MATRIX_GROUPS;

export function routeKey(route: Pick<RouteSpec, "method" | "path">): string {
  return `${route.method} ${route.path}`;
}

/** Routes of the cloud API that a matrix must cover: not local-only, not exempt. */
export function deployedRoutes(): RouteSpec[] {
  return routes.filter((r) => !r.localOnly && !Object.hasOwn(EXEMPT_ROUTES, routeKey(r)));
}

/** The route keys a matrix must have rows for, sorted. */
export function matrixRoutes(matrix: Matrix): string[] {
  const groups: readonly string[] = MATRIX_GROUPS[matrix];
  return deployedRoutes()
    .filter((r) => groups.includes(r.group))
    .map(routeKey)
    .sort();
}

/** Deployed routes whose group no matrix owns (must be empty). */
export function routesWithoutMatrix(): string[] {
  const owned: readonly string[] = Object.values(MATRIX_GROUPS).flat();
  return deployedRoutes()
    .filter((r) => !owned.includes(r.group))
    .map(routeKey)
    .sort();
}

/** The error code each refusal status of the matrices carries (DESIGN.md section 6). */
export const ERROR_CODES: Readonly<Record<number, string>> = {
  400: "VALIDATION_FAILED",
  401: "UNAUTHENTICATED",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  409: "INVALID_TRANSITION",
};
