import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import sirv from "sirv";
import { routes, type RouteSpec } from "../functions/http/routes";

/**
 * The local API Gateway: turns each HTTP request into the REST API proxy-integration event that
 * API Gateway sends in the cloud and calls the handler that the CDK app deploys for that route,
 * chosen from the same route table. The web app's static files are served beside it.
 */

export type ProxyHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** API Gateway's own payload limit. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const STAGE = "local";

/** Malformed request input (bad percent-encoding, an unparsable URL): a 400, never a 500. */
export class MalformedRequestError extends Error {
  /** The query parameter or path parameter at fault, when one is (as `details[].path`, like the handlers' errors). */
  readonly field: string | undefined;

  constructor(message: string, field?: string) {
    super(message);
    this.name = "MalformedRequestError";
    this.field = field;
  }
}

function decodeComponent(value: string, what: string, field?: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new MalformedRequestError(field ? `The ${what} ${field} is not valid percent-encoding` : `The ${what} is not valid percent-encoding`, field);
  }
}

/**
 * The query string, decoded like URLSearchParams (`+` is a space, empty pieces are skipped) but
 * strictly: URLSearchParams would silently turn `%E0%A4` into U+FFFD and keep `%ZZ` as is.
 */
export function parseQueryString(search: string): [string, string][] {
  const pairs: [string, string][] = [];
  for (const piece of search.replace(/^\?/, "").split("&")) {
    if (piece === "") continue;
    const at = piece.indexOf("=");
    const key = at < 0 ? piece : piece.slice(0, at);
    const value = at < 0 ? "" : piece.slice(at + 1);
    const name = decodeComponent(key.replace(/\+/g, " "), "query string");
    pairs.push([name, decodeComponent(value.replace(/\+/g, " "), "query parameter", name)]);
  }
  return pairs;
}

interface CompiledRoute {
  spec: RouteSpec;
  pattern: RegExp;
  params: string[];
}

function compile(spec: RouteSpec): CompiledRoute {
  const params: string[] = [];
  const source = spec.path
    .split("/")
    .map((segment) => {
      const match = /^\{(\w+)\}$/.exec(segment);
      if (!match?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      params.push(match[1]);
      return "([^/]+)";
    })
    .join("/");
  return { spec, pattern: new RegExp(`^${source}/?$`), params };
}

const compiled = routes.map(compile);

export function matchRoute(
  method: string,
  path: string,
): { route: RouteSpec; pathParameters: Record<string, string> | null } | null {
  // Throws MalformedRequestError when a path parameter is not valid percent-encoding.
  // A known path with another method is "no route" too, as API Gateway answers it in the cloud
  // (404 NOT_FOUND; DESIGN.md section 6 has no 405).
  for (const { spec, pattern, params } of compiled) {
    if (spec.method !== method) continue;
    const match = pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    params.forEach((name, i) => {
      pathParameters[name] = decodeComponent(match[i + 1] ?? "", "path parameter", name);
    });
    return { route: spec, pathParameters: params.length > 0 ? pathParameters : null };
  }
  return null;
}

function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: "$LATEST",
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    memoryLimitInMB: "1024",
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: "local",
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml|.*\+json)|text\/)/i;

export function toProxyEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteSpec,
  pathParameters: Record<string, string> | null,
  body: Buffer,
  requestId: string,
): APIGatewayProxyEvent {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? "";
    const value = req.rawHeaders[i + 1] ?? "";
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  const pairs = parseQueryString(url.search);
  for (const [key, value] of pairs) {
    query[key] = value;
    (multiQuery[key] ??= []).push(value);
  }
  const hasQuery = pairs.length > 0;
  const contentType = req.headers["content-type"] ?? "";
  const isText = body.length === 0 || TEXT_TYPES.test(contentType);
  return {
    resource: route.path,
    path: url.pathname,
    httpMethod: route.method,
    headers,
    multiValueHeaders,
    queryStringParameters: hasQuery ? query : null,
    multiValueQueryStringParameters: hasQuery ? multiQuery : null,
    pathParameters,
    stageVariables: null,
    body: body.length === 0 ? null : isText ? body.toString("utf8") : body.toString("base64"),
    isBase64Encoded: !isText,
    requestContext: {
      accountId: "000000000000",
      apiId: "local",
      authorizer: null,
      protocol: `HTTP/${req.httpVersion}`,
      httpMethod: route.method,
      path: `/${STAGE}${url.pathname}`,
      stage: STAGE,
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: "local",
      resourcePath: route.path,
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: req.socket.remoteAddress ?? "127.0.0.1",
        user: null,
        userAgent: req.headers["user-agent"] ?? null,
        userArn: null,
        vpcId: "vpc-local",
        vpceId: "vpce-local",
      },
    },
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<Buffer | "too-large"> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? "too-large" : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface GatewayOptions {
  port: number;
  /** Handler of each route group (the Lambda functions), and of the local-only `dev` routes. */
  handlers: Record<string, ProxyHandler>;
  /** Folder of the built web app (`dist/web`), served with a fallback to index.html. */
  webDir?: string;
  log?: (message: string, extra?: Record<string, unknown>) => void;
}

export async function startGateway(options: GatewayOptions): Promise<{ server: Server; port: number; stop(): Promise<void> }> {
  const serveWeb =
    options.webDir && existsSync(join(options.webDir, "index.html"))
      ? sirv(options.webDir, { single: true, etag: true, gzip: false, dev: false })
      : undefined;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (error instanceof MalformedRequestError && !res.headersSent) {
        const details = error.field === undefined ? {} : { details: [{ path: error.field, message: "Not valid percent-encoding" }] };
        sendJson(res, 400, { error: { code: "VALIDATION_FAILED", message: error.message, ...details } });
        return;
      }
      options.log?.("gateway error", { error: error instanceof Error ? error.message : String(error) });
      if (!res.headersSent) sendJson(res, 500, { error: { code: "INTERNAL", message: "Internal server error" } });
      else res.end();
    });
  });
  // Requests Node's HTTP parser rejects (a bad Content-Length, a malformed header) get the API's
  // error shape instead of Node's bare status line; the connection is closed, as Node does.
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, reason, code, message] =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, "Request Timeout", "VALIDATION_FAILED", "The request was not received in time"]
        : error.code === "HPE_HEADER_OVERFLOW"
          ? [431, "Request Header Fields Too Large", "PAYLOAD_TOO_LARGE", "The request headers are too large"]
          : [400, "Bad Request", "VALIDATION_FAILED", "The request is malformed"];
    const body = JSON.stringify({ error: { code, message } });
    socket.end(
      `HTTP/1.1 ${status} ${reason}\r\ncontent-type: application/json; charset=utf-8\r\ncache-control: no-store\r\n` +
        `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let url: URL;
    try {
      url = new URL(req.url ?? "/", "http://localhost");
    } catch {
      throw new MalformedRequestError("The request URL is malformed");
    }
    const method = (req.method ?? "GET").toUpperCase();
    if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
      const match = matchRoute(method, url.pathname);
      if (!match) {
        sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No route for ${method} ${url.pathname}` } });
        return;
      }
      const handler = options.handlers[match.route.group];
      if (!handler) {
        sendJson(res, 404, { error: { code: "NOT_FOUND", message: `No handler for ${url.pathname}` } });
        return;
      }
      const body = await readBody(req);
      if (body === "too-large") {
        sendJson(res, 413, { error: { code: "PAYLOAD_TOO_LARGE", message: "The request body is too large" } });
        return;
      }
      const requestId = randomUUID();
      const event = toProxyEvent(req, url, match.route, match.pathParameters, body, requestId);
      const result = await handler(event, lambdaContext(`ofisi-${match.route.group}`, requestId));
      const headers: Record<string, string | string[]> = { ...result.headers } as Record<string, string>;
      for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
        headers[name] = values.map(String);
      }
      res.writeHead(result.statusCode, headers);
      res.end(result.isBase64Encoded ? Buffer.from(result.body, "base64") : result.body);
      return;
    }
    if (serveWeb && (method === "GET" || method === "HEAD")) {
      res.setHeader("x-content-type-options", "nosniff");
      res.setHeader("referrer-policy", "no-referrer");
      serveWeb(req, res, () => sendJson(res, 404, { error: { code: "NOT_FOUND", message: "Not found" } }));
      return;
    }
    sendJson(res, 404, { error: { code: "NOT_FOUND", message: "Not found" } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : options.port;
  return {
    server,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
