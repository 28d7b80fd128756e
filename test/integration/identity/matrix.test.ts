import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CALLERS, matrixRoutes, routesWithoutMatrix, SCOPES, type Caller, type Scope } from "../support/route-matrix";
import { DEMO, field, startHarness, type Harness } from "./harness";

/**
 * Every identity route × every role (and no token) × own and foreign agency, with the status each
 * must answer. The expectations are written out here, independently of `core/permissions`, so a
 * change to the rules that is not also a change to this table fails.
 *
 * "Foreign" means the request names a record of another agency (MFANO): a user id in the path
 * (404), a department id in the body (400), or a domain MFANO owns (409). For routes that name no
 * record, it means the answer must not show anything of MFANO. A refused request writes nothing.
 *
 * The records routes (files, letters, attachments, audit, search, dashboard) have their matrix in
 * `letters/matrix.test.ts`; `support/route-matrix.ts` makes sure every deployed route has a row in
 * one of the two.
 */

const ANY = "any" as const;
/** Who may call each route (besides public ones). */
const ALLOWED: Record<string, readonly Caller[] | typeof ANY | "public"> = {
  "POST /api/auth/otp": "public",
  "POST /api/auth/token": "public",
  "GET /api/me": ANY,
  "GET /api/me/notifications": ANY,
  "PATCH /api/me": ANY,
  "GET /api/agencies": ["operator"],
  "POST /api/agencies": ["operator"],
  "GET /api/departments": ANY,
  "POST /api/departments": ["admin"],
  "GET /api/users": ANY,
  "POST /api/users": ["admin"],
  "GET /api/users/{id}": ANY,
  "PATCH /api/users/{id}": ["admin"],
  "GET /api/settings": ["admin"],
  "PUT /api/settings": ["admin"],
};

/** Status of an allowed caller: [own, foreign]. */
const SUCCESS: Record<string, [number, number]> = {
  "POST /api/auth/otp": [202, 202],
  "POST /api/auth/token": [401, 401],
  "GET /api/me": [200, 200],
  "GET /api/me/notifications": [200, 200],
  "PATCH /api/me": [200, 200],
  "GET /api/agencies": [200, 200],
  "POST /api/agencies": [201, 409],
  "GET /api/departments": [200, 200],
  "POST /api/departments": [201, 201],
  "GET /api/users": [200, 200],
  "POST /api/users": [201, 400],
  "GET /api/users/{id}": [200, 404],
  "PATCH /api/users/{id}": [200, 404],
  "GET /api/settings": [200, 200],
  "PUT /api/settings": [200, 200],
};

function expectedStatus(route: string, caller: Caller, scope: Scope): number {
  const allowed = ALLOWED[route];
  const [own, foreign] = SUCCESS[route] ?? [0, 0];
  if (allowed === "public") return scope === "own" ? own : foreign;
  if (caller === "none") return 401;
  if (allowed !== ANY && !allowed?.includes(caller)) return 403;
  return scope === "own" ? own : foreign;
}

let h: Harness;
const tokens = {} as Record<Exclude<Caller, "none">, string>;
const own = { departmentId: "", userId: "", operatorId: "" };
const foreign = { agencyId: "", departmentId: "", userId: "", email: "officer@mfano.go.tz" };
let serial = 0;

beforeAll(async () => {
  h = await startHarness("matrix");
  tokens.registry = await h.login(DEMO.registry);
  tokens.officer = await h.login(DEMO.officerA);
  tokens.supervisor = await h.login(DEMO.supervisor);
  tokens.admin = await h.login(DEMO.admin);
  tokens.operator = await h.login(DEMO.operator);

  // The foreign agency, onboarded the way an operator does it.
  const agency = await h.call("POST", "/api/agencies", {
    token: tokens.operator,
    body: { code: "MFANO", name: "Wakala wa Pili", emailDomains: ["mfano.go.tz"], admin: { email: "admin@mfano.go.tz", name: "Msimamizi wa Pili" } },
  });
  expect(agency.status).toBe(201);
  foreign.agencyId = field(agency.body, "id");
  const foreignAdmin = await h.login("admin@mfano.go.tz");
  const dept = await h.call("POST", "/api/departments", { token: foreignAdmin, body: { code: "FED", name: "Fedha" } });
  foreign.departmentId = field(dept.body, "id");
  const user = await h.call("POST", "/api/users", {
    token: foreignAdmin,
    body: { email: foreign.email, name: "Afisa wa Pili", departmentId: foreign.departmentId, roles: ["officer"] },
  });
  expect(user.status).toBe(201);
  foreign.userId = field(user.body, "id");

  const demoDepts = await h.call("GET", "/api/departments", { token: tokens.admin });
  own.departmentId = field(demoDepts.body, "items", "0", "id");
  const officerB = await h.call("GET", `/api/users?q=${encodeURIComponent(DEMO.officerB)}`, { token: tokens.admin });
  own.userId = field(officerB.body, "items", "0", "id");
  own.operatorId = field((await h.call("GET", "/api/me", { token: tokens.operator })).body, "id");
});

afterAll(async () => {
  await h?.stop();
});

function request(route: string, caller: Caller, scope: Scope): { method: string; path: string; body?: unknown } {
  const [method = "", template = ""] = route.split(" ");
  serial += 1;
  const n = serial;
  // The operator's own agency (OFISI) has no other user: their own record is the own target.
  const ownUser = caller === "operator" ? own.operatorId : own.userId;
  const path = template.replace("{id}", scope === "own" ? ownUser : foreign.userId);
  switch (route) {
    case "POST /api/auth/otp":
      return { method, path, body: { email: `matrix.${n}@demo.go.tz` } };
    case "POST /api/auth/token":
      return { method, path, body: { email: `matrix.${n}@demo.go.tz`, code: "123456" } };
    case "PATCH /api/me":
      return { method, path, body: { language: "sw" } };
    case "POST /api/agencies":
      return {
        method,
        path,
        body: {
          code: `AG${n}`,
          name: `Agency ${n}`,
          emailDomains: [scope === "own" ? `ag${n}.go.tz` : "mfano.go.tz"],
          admin: { email: `admin@${scope === "own" ? `ag${n}.go.tz` : "mfano.go.tz"}`, name: "Admin" },
        },
      };
    case "POST /api/departments":
      return { method, path, body: { code: `D${n}`, name: `Idara ${n}` } };
    case "POST /api/users":
      return {
        method,
        path,
        body: {
          email: `user.${n}@demo.go.tz`,
          name: `Mtumishi ${n}`,
          departmentId: scope === "own" ? own.departmentId : foreign.departmentId,
          roles: ["officer"],
        },
      };
    case "PATCH /api/users/{id}":
      return { method, path, body: { name: caller === "operator" ? "Mwendeshaji wa Mfumo" : "Baraka Afisa" } };
    case "PUT /api/settings":
      return {
        method,
        path,
        body: { defaultDueDays: 7, reminderIntervalHours: 24, escalateAfterDays: 3, digestTime: "07:00", timezone: "Africa/Dar_es_Salaam" },
      };
    default:
      return { method, path };
  }
}

describe("route × role × agency matrix", () => {
  it("covers every identity route of the route table, and every deployed route has a matrix", () => {
    expect(Object.keys(ALLOWED).sort()).toEqual(matrixRoutes("identity"));
    expect(routesWithoutMatrix()).toEqual([]);
  });

  const cases = Object.keys(ALLOWED).flatMap((route) =>
    CALLERS.flatMap((caller) => SCOPES.map((scope) => ({ route, caller, scope, status: expectedStatus(route, caller, scope) }))),
  );

  it.each(cases)("$route as $caller, $scope agency -> $status", async ({ route, caller, scope, status }) => {
    const req = request(route, caller, scope);
    // Sign-in routes keep their own traces (a code sent, a wrong try counted); the others, refused, write nothing.
    const before = status >= 400 && !route.startsWith("POST /api/auth/") ? await h.snapshot() : undefined;
    const res = await h.call(req.method, req.path, { token: caller === "none" ? undefined : tokens[caller], body: req.body });
    expect(res.status, res.text).toBe(status);
    if (before) expect(await h.snapshot()).toEqual(before);
    if (status >= 400) {
      expect(field(res.body, "error", "code")).toBeTypeOf("string");
    } else if (!route.includes("/api/agencies")) {
      // Nothing of the foreign agency shows in an answer to one of another agency.
      for (const secret of [foreign.agencyId, foreign.userId, foreign.departmentId, "mfano.go.tz"]) {
        expect(res.text).not.toContain(secret);
      }
    }
  });
});
