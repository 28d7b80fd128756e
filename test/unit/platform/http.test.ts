import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import * as z from "zod";
import type { Principal } from "../../../functions/core/permissions";
import { ConflictError, UnauthenticatedError } from "../../../functions/platform/errors";
import { MAX_JSON_BODY_BYTES, httpHandler, parseJsonBody, signedIn, type DeclaredRoute } from "../../../functions/platform/http";

function event(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    resource: "/api/things",
    path: "/api/things",
    httpMethod: "POST",
    headers: { "Content-Type": "application/json" },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: "r1" } as APIGatewayProxyEvent["requestContext"],
    ...overrides,
  };
}

const context = { getRemainingTimeInMillis: () => 10_000 } as Context;
const Thing = z.strictObject({ name: z.string().min(1), count: z.number().int().optional() });

const TEST_ROUTES: DeclaredRoute[] = [
  { method: "POST", path: "/api/things", auth: "public" },
  { method: "GET", path: "/api/things", auth: "public" },
  { method: "DELETE", path: "/api/things", auth: "public" },
  { method: "PUT", path: "/api/things", auth: "public" },
  { method: "GET", path: "/api/secrets", auth: "user" },
  { method: "POST", path: "/api/secrets", auth: "user", roles: ["admin"] },
];

const handler = httpHandler(
  {
    "POST /api/things": async (e) => ({ status: 201, body: parseJsonBody(e, Thing) }),
    "GET /api/things": async () => {
      throw new ConflictError("The thing changed meanwhile");
    },
    "DELETE /api/things": async () => {
      throw new Error("database password is hunter2");
    },
  },
  { routes: TEST_ROUTES },
);

async function call(overrides: Partial<APIGatewayProxyEvent>) {
  const res = await handler(event(overrides), context);
  return { status: res.statusCode, body: res.body ? (JSON.parse(res.body) as unknown) : undefined, headers: res.headers };
}

describe("httpHandler and parseJsonBody", () => {
  it("returns the handler's result as JSON", async () => {
    const res = await call({ body: JSON.stringify({ name: "Barua" }) });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ name: "Barua" });
    expect(res.headers?.["content-type"]).toMatch(/application\/json/);
  });

  it.each([
    ["malformed JSON", { body: "{name:" }, 400, "VALIDATION_FAILED"],
    ["an unknown field", { body: JSON.stringify({ name: "x", admin: true }) }, 400, "VALIDATION_FAILED"],
    ["a wrong type", { body: JSON.stringify({ name: 7 }) }, 400, "VALIDATION_FAILED"],
    ["a missing field", { body: JSON.stringify({}) }, 400, "VALIDATION_FAILED"],
    ["an oversized body", { body: JSON.stringify({ name: "x".repeat(MAX_JSON_BODY_BYTES) }) }, 413, "PAYLOAD_TOO_LARGE"],
    ["a non-JSON content type", { body: "name=x", headers: { "content-type": "text/plain" } }, 415, "UNSUPPORTED_MEDIA_TYPE"],
  ])("rejects %s with a clear 4xx", async (_label, overrides, status, code) => {
    const res = await call(overrides as Partial<APIGatewayProxyEvent>);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error: { code } });
    expect((res.body as { error: { message: string } }).error.message.length).toBeGreaterThan(5);
  });

  it("names the offending field in the validation details", async () => {
    const res = await call({ body: JSON.stringify({ name: "x", count: 1.5 }) });
    expect(res.body).toMatchObject({ error: { code: "VALIDATION_FAILED", details: [{ path: "count" }] } });
  });

  it("maps typed errors to their status and hides unexpected ones", async () => {
    const conflict = await call({ httpMethod: "GET" });
    expect(conflict).toMatchObject({ status: 409, body: { error: { code: "CONFLICT", message: "The thing changed meanwhile" } } });
    const crash = await call({ httpMethod: "DELETE" });
    expect(crash.status).toBe(500);
    expect(JSON.stringify(crash.body)).not.toContain("hunter2");
  });

  it("answers an unknown route with 404", async () => {
    const res = await call({ httpMethod: "PUT" });
    expect(res).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
  });
});

describe("httpHandler access check", () => {
  const alice: Principal = {
    userId: "u1",
    agencyId: "a1",
    agencyCode: "DEMO",
    email: "alice@demo.go.tz",
    name: "Alice",
    roles: ["officer"],
    departmentId: null,
    supervisorId: null,
    language: "sw",
  };
  const calls: string[] = [];
  const secured = httpHandler(
    {
      "GET /api/secrets": async (_e, _c, principal) => {
        calls.push("read");
        return { status: 200, body: { reader: signedIn(principal).userId } };
      },
      "POST /api/secrets": async () => {
        calls.push("write");
        return { status: 201, body: {} };
      },
    },
    {
      routes: TEST_ROUTES,
      authenticate: async (e) => {
        const header = e.headers?.authorization;
        if (header === "Bearer officer") return alice;
        if (header === "Bearer admin") return { ...alice, roles: ["admin"] };
        throw new UnauthenticatedError();
      },
    },
  );
  const send = async (method: string, token?: string) => {
    const res = await secured(
      event({ httpMethod: method, resource: "/api/secrets", path: "/api/secrets", headers: token ? { authorization: `Bearer ${token}` } : {} }),
      context,
    );
    return { status: res.statusCode, body: JSON.parse(res.body) as unknown };
  };

  it("hands the verified caller to a user route", async () => {
    expect(await send("GET", "officer")).toEqual({ status: 200, body: { reader: "u1" } });
  });

  it("refuses a missing or bad token with 401 before the route runs", async () => {
    calls.length = 0;
    expect(await send("GET")).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    expect(await send("GET", "forged")).toMatchObject({ status: 401 });
    expect(calls).toEqual([]);
  });

  it("refuses a caller without the route's role with 403 before the route runs", async () => {
    calls.length = 0;
    expect(await send("POST", "officer")).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    expect(calls).toEqual([]);
    expect(await send("POST", "admin")).toMatchObject({ status: 201 });
  });

  it("refuses to build a group with a route missing from the route table", () => {
    expect(() => httpHandler({ "GET /api/undeclared": async () => ({ status: 200 }) }, { routes: TEST_ROUTES })).toThrow(/not declared/);
  });

  it("refuses to build a group with user routes but no token check", () => {
    expect(() => httpHandler({ "GET /api/secrets": async () => ({ status: 200 }) }, { routes: TEST_ROUTES })).toThrow(/authenticate/);
  });
});
