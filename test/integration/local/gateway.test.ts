import { connect } from "node:net";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes } from "../../../functions/http/routes";
import { matchRoute, startGateway } from "../../../local/gateway";

describe("local gateway routing", () => {
  it("matches every route of the route table by method and path", () => {
    for (const route of routes) {
      const path = route.path.replace(/\{(\w+)\}/g, "x-$1");
      const match = matchRoute(route.method, path);
      expect(match?.route).toEqual(route);
    }
  });

  it("finds no route for an unknown path, nor for a known path with another method (404 in the cloud too)", () => {
    expect(matchRoute("GET", "/api/nothing-here")).toBeNull();
    expect(matchRoute("DELETE", "/api/health")).toBeNull();
  });
});

/** Sends raw bytes (what fetch refuses to send) and resolves to the whole answer once the server closes. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    let answer = "";
    socket.on("data", (chunk: Buffer) => (answer += chunk.toString("utf8")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

function parseRaw(answer: string): { status: number; contentType: string | undefined; body: unknown } {
  const [head = "", body = ""] = answer.split("\r\n\r\n");
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]);
  const contentType = /^content-type: (.*)$/im.exec(head)?.[1];
  return { status, contentType, body: JSON.parse(body) };
}

describe("local gateway events", () => {
  let seen: APIGatewayProxyEvent | undefined;
  let userCalls = 0;
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
        users: async (event) => {
          userCalls += 1;
          return { statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify(event.pathParameters) };
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
    expect(wrongMethod.status).toBe(404);
    expect(await wrongMethod.json()).toMatchObject({ error: { code: "NOT_FOUND", message: "No route for DELETE /api/health" } });
  });

  it("turns a crashing handler into a 500 without a stack trace", async () => {
    const res = await fetch(`${base}/api/dev/mailbox`);
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(text).not.toContain("boom");
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "Internal server error" } });
  });

  it("answers malformed percent-encoding in the path with 400 VALIDATION_FAILED, never calling the handler", async () => {
    const calls = userCalls;
    const res = await fetch(`${base}/api/users/%E0%A4`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: { code: "VALIDATION_FAILED", message: "The path parameter id is not valid percent-encoding", details: [{ path: "id", message: "Not valid percent-encoding" }] },
    });
    expect(userCalls).toBe(calls);

    const fine = await fetch(`${base}/api/users/${encodeURIComponent("Jüma Ali")}`);
    expect(fine.status).toBe(200);
    expect(await fine.json()).toEqual({ id: "Jüma Ali" });
  });

  it("answers malformed percent-encoding in the query string with 400, and decodes a good one as before", async () => {
    for (const query of ["q=%E0%A4", "q=%ZZ"]) {
      const res = await fetch(`${base}/api/health?${query}`);
      expect(res.status, query).toBe(400);
      // The parameter is named, as the handlers name a bad one.
      expect(await res.json()).toEqual({
        error: { code: "VALIDATION_FAILED", message: "The query parameter q is not valid percent-encoding", details: [{ path: "q", message: "Not valid percent-encoding" }] },
      });
    }
    const badName = await fetch(`${base}/api/health?%E0=x`);
    expect(badName.status).toBe(400);
    expect(await badName.json()).toEqual({ error: { code: "VALIDATION_FAILED", message: "The query string is not valid percent-encoding" } });
    const res = await fetch(`${base}/api/health?q=barua+ya%20ofisi&empty&&n=%E2%9C%93`);
    expect(res.status).toBe(200);
    expect(seen?.queryStringParameters).toEqual({ q: "barua ya ofisi", empty: "", n: "✓" });
  });

  it("answers a request Node's parser rejects (bad Content-Length, bad URL) with 400 in the error shape", async () => {
    const port = gateway.port;
    const cases = [
      "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\nhello",
      "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
      "POST /api/health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nhello",
    ];
    for (const request of cases) {
      const answer = parseRaw(await rawRequest(port, request));
      expect(answer, request).toEqual({
        status: 400,
        contentType: "application/json; charset=utf-8",
        body: { error: { code: "VALIDATION_FAILED", message: "The request is malformed" } },
      });
    }
    const badUrl = parseRaw(await rawRequest(port, "GET http://[bad/api/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    expect(badUrl.status).toBe(400);
    expect(badUrl.body).toEqual({ error: { code: "VALIDATION_FAILED", message: "The request URL is malformed" } });
  });
});
