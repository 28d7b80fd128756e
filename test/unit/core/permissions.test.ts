import { describe, expect, it } from "vitest";
import {
  ACTION_ROLES,
  decideAccess,
  grantableRoles,
  isOwnAgency,
  mayPerform,
  ungrantableRoles,
  type Principal,
} from "../../../functions/core/permissions";
import { ROLES, type Role } from "../../../functions/core/roles";
import { routes } from "../../../functions/http/routes";

const principal = (roles: Role[], agencyId = "agency-1"): Principal => ({
  userId: "u1",
  agencyId,
  agencyCode: "DEMO",
  email: "u1@demo.go.tz",
  name: "U1",
  roles,
  departmentId: null,
  supervisorId: null,
  language: "sw",
});

/** Who may call each route, written out independently of the code under test. */
const EXPECTED: Record<string, Role[] | "any" | "public"> = {
  "GET /api/health": "public",
  "GET /api/dev/mailbox": "public",
  "POST /api/auth/otp": "public",
  "POST /api/auth/token": "public",
  "GET /api/me": "any",
  "PATCH /api/me": "any",
  "GET /api/agencies": ["operator"],
  "POST /api/agencies": ["operator"],
  "GET /api/departments": "any",
  "POST /api/departments": ["admin"],
  "GET /api/users": "any",
  "POST /api/users": ["admin"],
  "GET /api/users/{id}": "any",
  "PATCH /api/users/{id}": ["admin"],
  "GET /api/settings": ["admin"],
  "PUT /api/settings": ["admin"],
};

const identityRoutes = routes.filter((r) => `${r.method} ${r.path}` in EXPECTED);

describe("route access by role", () => {
  it("covers the identity routes of the route table", () => {
    expect(identityRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  const cases = identityRoutes.flatMap((route) =>
    [...ROLES.map((role) => [role] as Role[]), null].map((roles) => {
      const key = `${route.method} ${route.path}`;
      const rule = EXPECTED[key];
      const expected =
        rule === "public" ? "allowed" : roles === null ? "UNAUTHENTICATED" : rule === "any" || rule?.includes(roles[0] as Role) ? "allowed" : "FORBIDDEN";
      return { key, route, roles, expected };
    }),
  );

  it.each(cases)("$key with roles $roles -> $expected", ({ route, roles, expected }) => {
    const decision = decideAccess(roles === null ? null : principal(roles), route);
    expect(decision.allowed ? "allowed" : decision.reason).toBe(expected);
  });

  it("lets a user with several roles do what any of them may", () => {
    expect(decideAccess(principal(["officer", "admin"]), { auth: "user", roles: ["admin"] })).toEqual({ allowed: true });
    expect(mayPerform(principal(["supervisor", "officer"]), "users.update")).toBe(false);
  });

  it("names a role for every administrative action", () => {
    for (const roles of Object.values(ACTION_ROLES)) expect(roles.length).toBeGreaterThan(0);
  });
});

describe("tenant isolation", () => {
  it("admits only records of the caller's own agency", () => {
    const me = principal(["admin"], "agency-1");
    expect(isOwnAgency(me, "agency-1")).toBe(true);
    expect(isOwnAgency(me, "agency-2")).toBe(false);
    expect(isOwnAgency(me, "")).toBe(false);
    expect(isOwnAgency(me, undefined)).toBe(false);
  });
});

describe("granting roles", () => {
  it("keeps the operator role to operators", () => {
    expect(grantableRoles(principal(["admin"]))).not.toContain("operator");
    expect(ungrantableRoles(principal(["admin"]), ["officer", "operator"])).toEqual(["operator"]);
    expect(ungrantableRoles(principal(["admin"]), ["registry", "officer", "supervisor", "admin"])).toEqual([]);
    expect(ungrantableRoles(principal(["operator"]), ["operator"])).toEqual([]);
  });
});
