import { DeleteCommand, QueryCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditStore } from "../../../functions/store/audit";
import { DEMO, startHarness, type Harness, type LetterBody, type Person } from "./harness";

/** The hash-chained audit trail: every mutation appends; tampering in DynamoDB is found. */

let h: Harness;
let registry: Person;
let officerA: Person;
let admin: Person;

beforeAll(async () => {
  h = await startHarness("audit");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  admin = await h.person(DEMO.admin);
});
afterAll(async () => {
  await h?.stop();
});

async function letterWithHistory(): Promise<string> {
  const reg = await h.call<LetterBody>("POST", "/api/letters", { token: registry.token, body: { subject: "Ukaguzi", direction: "INCOMING", assigneeId: officerA.id } });
  const id = reg.body.id;
  await h.call("POST", `/api/letters/${id}/accept`, { token: officerA.token });
  await h.call("POST", `/api/letters/${id}/minute`, { token: officerA.token, body: { text: "Nimeanza" } });
  await h.call("POST", `/api/letters/${id}/complete`, { token: officerA.token });
  return id;
}

async function entries(entity: "LETTER" | "FILE", id: string) {
  const out = await h.doc.send(
    new QueryCommand({ TableName: h.tables.audit, KeyConditionExpression: "pk = :pk", ExpressionAttributeValues: { ":pk": `AGENCY#${h.demo.agencyId}#${entity}#${id}` } }),
  );
  return out.Items ?? [];
}

const verify = (entity: string, id: string, token = admin.token) => h.call<{ valid: boolean; entries: number }>("GET", `/api/audit/verify?entity=${entity}&id=${id}`, { token });

describe("audit trail", () => {
  it("records who did what, when, before and after, for every change of a letter", async () => {
    const id = await letterWithHistory();
    const items = await entries("LETTER", id);
    expect(items.map((i) => i.action)).toEqual(["register", "accept", "minute", "complete"]);
    expect(items.map((i) => i.actorId)).toEqual([registry.id, officerA.id, officerA.id, officerA.id]);
    expect(JSON.parse(String(items[1]?.before)).status).toBe("FOR_ACTION");
    expect(JSON.parse(String(items[1]?.after)).letter.status).toBe("IN_PROGRESS");
    expect(items[1]?.prevHash).toBe(items[0]?.hash);
    expect((await verify("letter", id)).body).toEqual({ valid: true, entries: 4 });
  });

  it("finds an entry edited directly in DynamoDB", async () => {
    const id = await letterWithHistory();
    await h.doc.send(
      new UpdateCommand({
        TableName: h.tables.audit,
        Key: { pk: AuditStore.entityPk(h.demo.agencyId, "letter", id), sk: AuditStore.seqSk(2) },
        UpdateExpression: "SET actorId = :someone",
        ExpressionAttributeValues: { ":someone": registry.id },
      }),
    );
    expect((await verify("letter", id)).body).toMatchObject({ valid: false, entries: 4 });
  });

  it("finds an entry deleted in the middle and one deleted at the end", async () => {
    const middle = await letterWithHistory();
    await h.doc.send(new DeleteCommand({ TableName: h.tables.audit, Key: { pk: AuditStore.entityPk(h.demo.agencyId, "letter", middle), sk: AuditStore.seqSk(2) } }));
    expect((await verify("letter", middle)).body).toMatchObject({ valid: false });
    const last = await letterWithHistory();
    await h.doc.send(new DeleteCommand({ TableName: h.tables.audit, Key: { pk: AuditStore.entityPk(h.demo.agencyId, "letter", last), sk: AuditStore.seqSk(4) } }));
    expect((await verify("letter", last)).body).toMatchObject({ valid: false, entries: 3 });
  });

  it("chains a file's changes, its folios included, and finds a tampered file entry", async () => {
    const file = await h.call<{ id: string }>("POST", "/api/files", { token: registry.token, body: { title: "Ukaguzi wa jalada", departmentId: h.demo.departmentId } });
    await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "Folio", direction: "INCOMING", assigneeId: officerA.id, fileId: file.body.id } });
    await h.call("POST", `/api/files/${file.body.id}/close`, { token: registry.token });
    await h.call("POST", `/api/files/${file.body.id}/reopen`, { token: registry.token });
    expect((await verify("file", file.body.id, registry.token)).body).toEqual({ valid: true, entries: 4 });
    expect((await entries("FILE", file.body.id)).map((i) => i.action)).toEqual(["open", expect.stringMatching(/^file letter DEMO\/IN\//), "close", "reopen"]);
    await h.doc.send(
      new UpdateCommand({
        TableName: h.tables.audit,
        Key: { pk: AuditStore.entityPk(h.demo.agencyId, "file", file.body.id), sk: AuditStore.seqSk(3) },
        UpdateExpression: "SET #after = :x",
        ExpressionAttributeNames: { "#after": "after" },
        ExpressionAttributeValues: { ":x": "{}" },
      }),
    );
    expect((await verify("file", file.body.id, registry.token)).body).toMatchObject({ valid: false });
  });

  it("is for administrators, the registry and supervisors, on records of their own agency", async () => {
    const id = await letterWithHistory();
    expect((await verify("letter", id, officerA.token)).status).toBe(403);
    expect((await verify("letter", "no-such-letter")).status).toBe(404);
    expect((await h.call("GET", `/api/audit/verify?entity=user&id=${id}`, { token: admin.token })).status).toBe(400);
    const other = await h.addAgency("MFANO", "mfano.go.tz");
    const foreignAdmin = await h.addPerson({ agencyId: other.agencyId, email: "admin@mfano.go.tz", roles: ["admin"], departmentId: other.departmentId });
    expect((await verify("letter", id, foreignAdmin.token)).status).toBe(404);
  });
});
