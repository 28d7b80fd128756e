import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalTokenKeys } from "../../../functions/platform/auth";
import { DEMO, field, startHarness, type Harness } from "./harness";

/**
 * Bad input on every identity route: each gets a clear 4xx and writes nothing (the Directory table
 * is compared item by item before and after).
 */

let h: Harness;
let admin = "";
let operator = "";
let officerId = "";
let departmentId = "";
let expired = "";
let forged = "";

beforeAll(async () => {
  h = await startHarness("badinput");
  admin = await h.login(DEMO.admin);
  operator = await h.login(DEMO.operator);
  const users = await h.call("GET", `/api/users?q=${encodeURIComponent(DEMO.officerA)}`, { token: admin });
  officerId = field(users.body, "items", "0", "id");
  departmentId = field((await h.call("GET", "/api/departments", { token: admin })).body, "items", "0", "id");
  const me = await h.call("GET", "/api/me", { token: admin });
  const identity = { email: DEMO.admin, userId: field<string>(me.body, "id"), agencyId: field<string>(me.body, "agencyId") };
  expired = (await new LocalTokenKeys(h.dataDir, () => new Date(Date.now() - 9 * 3600_000)).sign(identity)).token;
  const otherDir = mkdtempSync(join(tmpdir(), "ofisi-forger-"));
  forged = (await new LocalTokenKeys(otherDir).sign(identity)).token;
  rmSync(otherDir, { recursive: true, force: true });
});

afterAll(async () => {
  await h?.stop();
});

interface BadCase {
  label: string;
  method: string;
  path: () => string;
  token?: () => string;
  /** The body, or a function giving it once the setup has run (for ids). */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** The field the error must name, when it is about one field. */
  names?: string;
}

const validUser = () => ({ email: "new.person@demo.go.tz", name: "Mtu Mpya", departmentId, roles: ["officer"] });
const validAgency = { code: "NEWAG", name: "New Agency", emailDomains: ["newag.go.tz"], admin: { email: "admin@newag.go.tz", name: "Admin" } };
const validSettings = { defaultDueDays: 5, reminderIntervalHours: 12, escalateAfterDays: 2, digestTime: "08:30", timezone: "Africa/Nairobi" };
const big = "x".repeat(70 * 1024);

/** The generic body problems, for one route and a valid body of it. */
function bodyCases(route: string, path: () => string, token: (() => string) | undefined, valid: () => Record<string, unknown>): BadCase[] {
  const method = route.split(" ")[0] ?? "";
  return [
    { label: "malformed JSON", method, path, token, raw: '{"email": ', headers: { "content-type": "application/json" }, status: 400, code: "VALIDATION_FAILED" },
    { label: "an unknown field", method, path, token, body: () => ({ ...valid(), isAdmin: true }), status: 400, code: "VALIDATION_FAILED", names: "" },
    { label: "a JSON array instead of an object", method, path, token, body: () => [valid()], status: 400, code: "VALIDATION_FAILED" },
    { label: "an oversized body", method, path, token, body: () => ({ ...valid(), padding: big }), status: 413, code: "PAYLOAD_TOO_LARGE" },
    {
      label: "a body that is not JSON",
      method,
      path,
      token,
      raw: "email=x",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
    },
  ].map((c) => ({ ...c, label: `${route}: ${c.label}` }));
}

const cases: BadCase[] = [
  // Sign-in
  ...bodyCases("POST /api/auth/otp", () => "/api/auth/otp", undefined, () => ({ email: "x@demo.go.tz" })),
  { label: "otp: malformed email", method: "POST", path: () => "/api/auth/otp", body: { email: "not-an-email" }, status: 400, code: "VALIDATION_FAILED", names: "email" },
  { label: "otp: email with two @", method: "POST", path: () => "/api/auth/otp", body: { email: "a@b@demo.go.tz" }, status: 400, code: "VALIDATION_FAILED", names: "email" },
  { label: "otp: email of a wrong type", method: "POST", path: () => "/api/auth/otp", body: { email: 42 }, status: 400, code: "VALIDATION_FAILED", names: "email" },
  { label: "otp: missing email", method: "POST", path: () => "/api/auth/otp", body: {}, status: 400, code: "VALIDATION_FAILED", names: "email" },
  { label: "otp: overlong email", method: "POST", path: () => "/api/auth/otp", body: { email: `${"a".repeat(250)}@demo.go.tz` }, status: 400, code: "VALIDATION_FAILED", names: "email" },
  ...bodyCases("POST /api/auth/token", () => "/api/auth/token", undefined, () => ({ email: DEMO.admin, code: "123456" })),
  { label: "token: 5-digit code", method: "POST", path: () => "/api/auth/token", body: { email: DEMO.admin, code: "12345" }, status: 400, code: "VALIDATION_FAILED", names: "code" },
  { label: "token: numeric code", method: "POST", path: () => "/api/auth/token", body: { email: DEMO.admin, code: 123456 }, status: 400, code: "VALIDATION_FAILED", names: "code" },
  { label: "token: malformed email", method: "POST", path: () => "/api/auth/token", body: { email: "admin", code: "123456" }, status: 400, code: "VALIDATION_FAILED", names: "email" },

  // Profile
  ...bodyCases("PATCH /api/me", () => "/api/me", () => admin, () => ({ language: "en" })),
  { label: "me: unknown language", method: "PATCH", path: () => "/api/me", token: () => admin, body: { language: "fr" }, status: 400, code: "VALIDATION_FAILED", names: "language" },
  { label: "me: nothing to change", method: "PATCH", path: () => "/api/me", token: () => admin, body: {}, status: 400, code: "VALIDATION_FAILED" },
  { label: "me: empty name", method: "PATCH", path: () => "/api/me", token: () => admin, body: { name: "   " }, status: 400, code: "VALIDATION_FAILED", names: "name" },

  // Agencies
  ...bodyCases("POST /api/agencies", () => "/api/agencies", () => operator, () => validAgency),
  { label: "agency: lower-case code", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, code: "newag" }, status: 400, code: "VALIDATION_FAILED", names: "code" },
  { label: "agency: no domains", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, emailDomains: [] }, status: 400, code: "VALIDATION_FAILED", names: "emailDomains" },
  { label: "agency: malformed domain", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, emailDomains: ["newag"] }, status: 400, code: "VALIDATION_FAILED", names: "emailDomains.0" },
  { label: "agency: a domain twice", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, emailDomains: ["newag.go.tz", "NEWAG.go.tz"] }, status: 400, code: "VALIDATION_FAILED", names: "emailDomains" },
  { label: "agency: admin outside its domains", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, admin: { email: "admin@demo.go.tz", name: "Admin" } }, status: 400, code: "VALIDATION_FAILED", names: "admin.email" },
  { label: "agency: malformed admin email", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, admin: { email: "admin@", name: "Admin" } }, status: 400, code: "VALIDATION_FAILED", names: "admin.email" },
  { label: "agency: unknown field in admin", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, admin: { ...validAgency.admin, roles: ["operator"] } }, status: 400, code: "VALIDATION_FAILED", names: "admin" },
  { label: "agency: unknown timezone", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, timezone: "Mars/Olympus" }, status: 400, code: "VALIDATION_FAILED", names: "timezone" },
  { label: "agency: code taken", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, code: "DEMO" }, status: 409, code: "CONFLICT" },
  { label: "agency: domain of another agency", method: "POST", path: () => "/api/agencies", token: () => operator, body: { ...validAgency, emailDomains: ["newag.go.tz", "demo.go.tz"] }, status: 409, code: "CONFLICT" },

  // Departments
  ...bodyCases("POST /api/departments", () => "/api/departments", () => admin, () => ({ code: "FIN", name: "Fedha" })),
  { label: "department: code with spaces", method: "POST", path: () => "/api/departments", token: () => admin, body: { code: "F IN", name: "Fedha" }, status: 400, code: "VALIDATION_FAILED", names: "code" },
  { label: "department: name of a wrong type", method: "POST", path: () => "/api/departments", token: () => admin, body: { code: "FIN", name: ["Fedha"] }, status: 400, code: "VALIDATION_FAILED", names: "name" },
  { label: "department: code taken", method: "POST", path: () => "/api/departments", token: () => admin, body: { code: "ADM", name: "Again" }, status: 409, code: "CONFLICT" },

  // Users
  ...bodyCases("POST /api/users", () => "/api/users", () => admin, validUser),
  { label: "user: malformed email", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), email: "mtu mpya@demo.go.tz" }), status: 400, code: "VALIDATION_FAILED", names: "email" },
  { label: "user: email outside the agency's domains", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), email: "mtu@ofisi.go.tz" }), status: 400, code: "VALIDATION_FAILED", names: "email" },
  { label: "user: unknown role", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), roles: ["king"] }), status: 400, code: "VALIDATION_FAILED", names: "roles.0" },
  { label: "user: no roles", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), roles: [] }), status: 400, code: "VALIDATION_FAILED", names: "roles" },
  { label: "user: unknown department", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), departmentId: "00000000-0000-0000-0000-000000000000" }), status: 400, code: "VALIDATION_FAILED", names: "departmentId" },
  { label: "user: unknown supervisor", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), supervisorId: "00000000-0000-0000-0000-000000000000" }), status: 400, code: "VALIDATION_FAILED", names: "supervisorId" },
  { label: "user: email taken", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), email: DEMO.officerA }), status: 409, code: "CONFLICT" },
  { label: "user: the operator role", method: "POST", path: () => "/api/users", token: () => admin, body: () => ({ ...validUser(), roles: ["operator"] }), status: 403, code: "FORBIDDEN" },
  ...bodyCases("PATCH /api/users/{id}", () => `/api/users/${officerId}`, () => admin, () => ({ name: "Amina A." })),
  { label: "patch user: active of a wrong type", method: "PATCH", path: () => `/api/users/${officerId}`, token: () => admin, body: { active: "no" }, status: 400, code: "VALIDATION_FAILED", names: "active" },
  { label: "patch user: nothing to change", method: "PATCH", path: () => `/api/users/${officerId}`, token: () => admin, body: {}, status: 400, code: "VALIDATION_FAILED" },
  { label: "patch user: the email", method: "PATCH", path: () => `/api/users/${officerId}`, token: () => admin, body: { email: "x@demo.go.tz" }, status: 400, code: "VALIDATION_FAILED" },
  { label: "patch user: own supervisor", method: "PATCH", path: () => `/api/users/${officerId}`, token: () => admin, body: { supervisorId: officerId }, status: 400, code: "VALIDATION_FAILED", names: "supervisorId" },
  { label: "patch user: unknown department", method: "PATCH", path: () => `/api/users/${officerId}`, token: () => admin, body: { departmentId: "nope" }, status: 400, code: "VALIDATION_FAILED", names: "departmentId" },
  { label: "patch user: unknown id", method: "PATCH", path: () => "/api/users/00000000-0000-0000-0000-000000000000", token: () => admin, body: { name: "X" }, status: 404, code: "NOT_FOUND" },
  { label: "patch user: malformed id", method: "PATCH", path: () => "/api/users/%3Cscript%3E", token: () => admin, body: { name: "X" }, status: 404, code: "NOT_FOUND" },

  // Settings
  ...bodyCases("PUT /api/settings", () => "/api/settings", () => admin, () => validSettings),
  { label: "settings: missing field", method: "PUT", path: () => "/api/settings", token: () => admin, body: { ...validSettings, digestTime: undefined }, status: 400, code: "VALIDATION_FAILED", names: "digestTime" },
  { label: "settings: 25:00", method: "PUT", path: () => "/api/settings", token: () => admin, body: { ...validSettings, digestTime: "25:00" }, status: 400, code: "VALIDATION_FAILED", names: "digestTime" },
  { label: "settings: fractional days", method: "PUT", path: () => "/api/settings", token: () => admin, body: { ...validSettings, defaultDueDays: 1.5 }, status: 400, code: "VALIDATION_FAILED", names: "defaultDueDays" },
  { label: "settings: days as a string", method: "PUT", path: () => "/api/settings", token: () => admin, body: { ...validSettings, defaultDueDays: "7" }, status: 400, code: "VALIDATION_FAILED", names: "defaultDueDays" },
  { label: "settings: zero reminder interval", method: "PUT", path: () => "/api/settings", token: () => admin, body: { ...validSettings, reminderIntervalHours: 0 }, status: 400, code: "VALIDATION_FAILED", names: "reminderIntervalHours" },
  { label: "settings: unknown timezone", method: "PUT", path: () => "/api/settings", token: () => admin, body: { ...validSettings, timezone: "Africa/Atlantis" }, status: 400, code: "VALIDATION_FAILED", names: "timezone" },

  // Lists
  ...["/api/agencies", "/api/departments", "/api/users"].flatMap((list): BadCase[] => {
    const token = () => (list === "/api/agencies" ? operator : admin);
    return [
      { label: `${list}: limit 0`, method: "GET", path: () => `${list}?limit=0`, token, status: 400, code: "VALIDATION_FAILED", names: "limit" },
      { label: `${list}: limit 101`, method: "GET", path: () => `${list}?limit=101`, token, status: 400, code: "VALIDATION_FAILED", names: "limit" },
      { label: `${list}: limit abc`, method: "GET", path: () => `${list}?limit=abc`, token, status: 400, code: "VALIDATION_FAILED", names: "limit" },
      { label: `${list}: unknown parameter`, method: "GET", path: () => `${list}?sort=name`, token, status: 400, code: "VALIDATION_FAILED" },
      { label: `${list}: garbage cursor`, method: "GET", path: () => `${list}?cursor=%%%`, token, status: 400, code: "VALIDATION_FAILED", names: "cursor" },
      {
        label: `${list}: cursor of another partition`,
        method: "GET",
        path: () => `${list}?cursor=${Buffer.from(JSON.stringify({ pk: "AGENCY#other", sk: "DEPT#x", gsi1pk: "AGENCY#other#USERS", gsi1sk: "a" })).toString("base64url")}`,
        token,
        status: 400,
        code: "VALIDATION_FAILED",
        names: "cursor",
      },
    ];
  }),

  // Tokens on a writing route
  { label: "write with an expired token", method: "POST", path: () => "/api/departments", token: () => expired, body: { code: "TOK", name: "Tokeni" }, status: 401, code: "UNAUTHENTICATED" },
  { label: "write with a forged token", method: "POST", path: () => "/api/departments", token: () => forged, body: { code: "TOK", name: "Tokeni" }, status: 401, code: "UNAUTHENTICATED" },
  { label: "write with a malformed header", method: "POST", path: () => "/api/departments", headers: { authorization: "Basic YWRtaW46YWRtaW4=" }, body: { code: "TOK", name: "Tokeni" }, status: 401, code: "UNAUTHENTICATED" },
  { label: "write without a token", method: "PUT", path: () => "/api/settings", body: validSettings, status: 401, code: "UNAUTHENTICATED" },
];

describe("bad input is refused with a clear 4xx and writes nothing", () => {
  it.each(cases)("$label -> $status $code", async (c) => {
    // Prepare
    const before = await h.snapshot();
    // Act
    const body: unknown = typeof c.body === "function" ? (c.body as () => unknown)() : c.body;
    const res = await h.call(c.method, c.path(), { token: c.token?.(), body, raw: c.raw, headers: c.headers });
    // Assess
    expect(res.status, res.text).toBe(c.status);
    expect(field(res.body, "error", "code")).toBe(c.code);
    expect(field<string>(res.body, "error", "message").length).toBeGreaterThan(10);
    if (c.names) {
      const paths = (field<{ path: string }[]>(res.body, "error", "details") ?? []).map((d) => d.path);
      expect(paths, res.text).toContain(c.names);
    }
    expect(await h.snapshot()).toEqual(before);
  });

  it("the valid bodies used above are accepted, so each refusal was about its one fault", async () => {
    expect((await h.call("PUT", "/api/settings", { token: admin, body: validSettings })).status).toBe(200);
    expect((await h.call("POST", "/api/users", { token: admin, body: validUser() })).status).toBe(201);
    expect((await h.call("POST", "/api/agencies", { token: operator, body: validAgency })).status).toBe(201);
    expect((await h.call("PATCH", `/api/users/${officerId}`, { token: admin, body: { name: "Amina A." } })).status).toBe(200);
  });
});
