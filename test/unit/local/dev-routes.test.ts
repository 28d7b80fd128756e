import type { APIGatewayProxyEvent, Context } from "aws-lambda";
import { describe, expect, it } from "vitest";
import { createDevHandler } from "../../../local/dev-routes";

function get(path: string): APIGatewayProxyEvent {
  return {
    resource: path,
    path,
    httpMethod: "GET",
    headers: {},
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: "r1" } as APIGatewayProxyEvent["requestContext"],
  };
}

describe("GET /api/dev/failed-mail", () => {
  it("lists failed notice batches and failed digest runs together, newest first, each with its source", async () => {
    const handler = createDevHandler({
      listMail: () => [],
      listFailedMail: async () => [
        {
          failedAt: "2026-03-02T04:05:00.000Z",
          error: "ServiceError: mail is down",
          records: [{ dynamodb: { Keys: { pk: { S: "AGENCY#a1#LETTER#l1" }, sk: { S: "EVENT#000002" } }, NewImage: { action: { S: "forward" } } } }],
        },
      ],
      listFailedDigests: async () => [
        { failedAt: "2026-03-02T04:07:00.000Z", error: "DigestIncompleteError: 2 digest(s) could not be sent", agencyId: "a1", attempts: 4 },
        { failedAt: "2026-03-01T04:07:00.000Z", error: "DigestIncompleteError: 1 digest(s) could not be sent", agencyId: "a2", attempts: 4 },
      ],
    });
    const res = await handler(get("/api/dev/failed-mail"), {} as Context);
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      items: [
        { source: "digest", failedAt: "2026-03-02T04:07:00.000Z", error: "DigestIncompleteError: 2 digest(s) could not be sent", agencyId: "a1", attempts: 4 },
        { source: "notifications", failedAt: "2026-03-02T04:05:00.000Z", error: "ServiceError: mail is down", events: [{ letterId: "l1", version: 2, action: "forward" }] },
        { source: "digest", failedAt: "2026-03-01T04:07:00.000Z", error: "DigestIncompleteError: 1 digest(s) could not be sent", agencyId: "a2", attempts: 4 },
      ],
    });
  });
});
