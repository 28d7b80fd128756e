import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ConflictError } from "../../../functions/platform/errors";
import { MAX_JSON_BODY_BYTES, httpHandler, parseJsonBody } from "../../../functions/platform/http";

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

const handler = httpHandler({
  "POST /api/things": async (e) => ({ status: 201, body: parseJsonBody(e, Thing) }),
  "GET /api/things": async () => {
    throw new ConflictError("The thing changed meanwhile");
  },
  "DELETE /api/things": async () => {
    throw new Error("database password is hunter2");
  },
});

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
