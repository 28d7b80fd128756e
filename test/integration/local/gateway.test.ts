import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../../functions/http/routes";
import { matchRoute, startGateway } from "../../../local/gateway";

describe("local gateway routing", () => {
  it("matches every route of the route table by method and path", () => {
    for (const route of routes) {
      const path = route.path.replace(/\{(\w+)\}/g, "x-$1");
      const match = matchRoute(route.method, path);
      expect(match && "route" in match ? match.route : undefined).toEqual(route);
    }
  });

  it("tells an unknown path from a known path with the wrong method", () => {
    expect(matchRoute("GET", "/api/nothing-here")).toBeNull();
    expect(matchRoute("DELETE", "/api/health")).toEqual({ methodNotAllowed: true });
  });
});

describe("local gateway events", () => {
  let seen: APIGatewayProxyEvent | undefined;
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let base: string;

  beforeAll(async () => {
    gateway = await startGateway({
      port: 0,
      handlers: {
        health: async (event) => {
          seen = event;
          return { statusCode: 200, headers: { "content-type": "application/json" }, body: '{"status":"ok"}' };
        },
        dev: async () => {
          throw new Error("boom");
        },
      },
    });
    base = `http://127.0.0.1:${gateway.port}`;
  });
  afterAll(() => gateway.stop());

  it("hands the handler the API Gateway REST proxy event and returns its response", async () => {
    const res = await fetch(`${base}/api/health?a=1&a=2&b=x`, { headers: { "X-Trace": "t1" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
    expect(seen).toMatchObject({
      resource: "/api/health",
      path: "/api/health",
      httpMethod: "GET",
      queryStringParameters: { a: "2", b: "x" },
      multiValueQueryStringParameters: { a: ["1", "2"], b: ["x"] },
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { resourcePath: "/api/health", httpMethod: "GET", stage: "local" },
    });
    expect(seen?.headers["X-Trace"]).toBe("t1");
    expect(seen?.requestContext.requestId).toMatch(/[0-9a-f-]{36}/);
  });

  it("answers unknown routes and wrong methods with the error shape, never a handler call", async () => {
    const unknown = await fetch(`${base}/api/nowhere`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    const wrongMethod = await fetch(`${base}/api/health`, { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: "METHOD_NOT_ALLOWED" } });
  });

  it("turns a crashing handler into a 500 without a stack trace", async () => {
    const res = await fetch(`${base}/api/dev/mailbox`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("boom");
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal server error" } });
  });
});
