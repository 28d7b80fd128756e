import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, field, startHarness, type Harness, type LetterBody, type Person } from "./harness";

/**
 * Who may read what (DESIGN.md section 6, last paragraph), on every read and list, with users of
 * another department and of another agency. What may not be read answers 404.
 */

let h: Harness;
let registry: Person;
let otherClerk: Person;
let officerA: Person;
let admin: Person;
let admSupervisor: Person;
let finOfficer: Person;
let finSupervisor: Person;
let foreignRegistry: Person;
let foreignFileId: string;
const letters: Record<"OPEN" | "RESTRICTED" | "CONFIDENTIAL", string> = { OPEN: "", RESTRICTED: "", CONFIDENTIAL: "" };
let openFileId = "";
let restrictedFileId = "";

beforeAll(async () => {
  h = await startHarness("read-rules");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  admin = await h.person(DEMO.admin);
  const agencyId = h.demo.agencyId;
  const fin = await h.directory.createDepartment(agencyId, { code: "FIN", name: "Fedha" });
  otherClerk = await h.addPerson({ agencyId, email: "registry2@demo.go.tz", roles: ["registry"], departmentId: h.demo.departmentId });
  admSupervisor = await h.addPerson({ agencyId, email: "sup2@demo.go.tz", roles: ["supervisor"], departmentId: h.demo.departmentId });
  finOfficer = await h.addPerson({ agencyId, email: "fin.officer@demo.go.tz", roles: ["officer"], departmentId: fin.id });
  finSupervisor = await h.addPerson({ agencyId, email: "fin.sup@demo.go.tz", roles: ["supervisor"], departmentId: fin.id });
  const foreign = await h.addAgency("MFANO", "mfano.go.tz");
  foreignRegistry = await h.addPerson({ agencyId: foreign.agencyId, email: "registry@mfano.go.tz", roles: ["registry", "officer"], departmentId: foreign.departmentId });
  const foreignFile = await h.call<{ id: string }>("POST", "/api/files", { token: foreignRegistry.token, body: { title: "Siri", departmentId: foreign.departmentId } });
  foreignFileId = foreignFile.body.id;

  openFileId = (await h.call<{ id: string }>("POST", "/api/files", { token: registry.token, body: { title: "Wazi", departmentId: h.demo.departmentId, classification: "OPEN" } })).body.id;
  restrictedFileId = (await h.call<{ id: string }>("POST", "/api/files", { token: registry.token, body: { title: "Ndani", departmentId: h.demo.departmentId } })).body.id;
  for (const classification of ["OPEN", "RESTRICTED", "CONFIDENTIAL"] as const) {
    const res = await h.call<LetterBody>("POST", "/api/letters", {
      token: registry.token,
      body: { subject: `Barua ${classification}`, direction: "INCOMING", assigneeId: officerA.id, classification, fileId: openFileId },
    });
    letters[classification] = res.body.id;
  }
});
afterAll(async () => {
  await h?.stop();
});

type Who = "registry" | "otherClerk" | "officerA" | "admin" | "admSupervisor" | "finOfficer" | "finSupervisor" | "foreign";
const who = (name: Who): Person =>
  ({ registry, otherClerk, officerA, admin, admSupervisor, finOfficer, finSupervisor, foreign: foreignRegistry })[name];

/** Who reads each letter (the registry clerk who registered them is in their chain). */
const READERS: Record<keyof typeof letters, Who[]> = {
  OPEN: ["registry", "otherClerk", "officerA", "admin", "admSupervisor", "finOfficer", "finSupervisor"],
  RESTRICTED: ["registry", "otherClerk", "officerA", "admSupervisor"],
  CONFIDENTIAL: ["registry", "officerA", "admSupervisor"],
};
const EVERYONE: Who[] = ["registry", "otherClerk", "officerA", "admin", "admSupervisor", "finOfficer", "finSupervisor", "foreign"];

describe("reading letters", () => {
  for (const classification of ["OPEN", "RESTRICTED", "CONFIDENTIAL"] as const) {
    for (const name of EVERYONE) {
      const allowed = READERS[classification].includes(name);
      it(`${classification} letter: ${name} ${allowed ? "reads it" : "gets 404"}`, async () => {
        const res = await h.call("GET", `/api/letters/${letters[classification]}`, { token: who(name).token });
        expect(res.status).toBe(allowed ? 200 : 404);
        if (!allowed) expect(res.text).not.toContain(`Barua ${classification}`);
      });
    }
  }

  it("a file's folios show only the letters the caller may read", async () => {
    const folios = async (p: Person) =>
      (await h.call<{ folios: { id: string }[] }>("GET", `/api/files/${openFileId}`, { token: p.token })).body.folios.map((f) => f.id);
    expect(await folios(registry)).toEqual([letters.OPEN, letters.RESTRICTED, letters.CONFIDENTIAL]);
    expect(await folios(otherClerk)).toEqual([letters.OPEN, letters.RESTRICTED]);
    expect(await folios(finOfficer)).toEqual([letters.OPEN]);
  });

  it("actions, attachments and audit on a letter one may not read answer 404, never 403", async () => {
    const id = letters.CONFIDENTIAL;
    expect((await h.call("POST", `/api/letters/${id}/minute`, { token: finSupervisor.token, body: { text: "x" } })).status).toBe(404);
    expect((await h.call("POST", `/api/letters/${id}/reassign`, { token: otherClerk.token, body: { to: finOfficer.id, reason: "x" } })).status).toBe(404);
    expect((await h.call("POST", `/api/letters/${id}/accept`, { token: foreignRegistry.token })).status).toBe(404);
    expect((await h.call("POST", `/api/letters/${id}/attachments`, { token: foreignRegistry.token, body: { fileName: "a.pdf", contentType: "application/pdf", size: 9 } })).status).toBe(404);
    expect((await h.call("GET", `/api/audit/verify?entity=letter&id=${id}`, { token: finSupervisor.token })).status).toBe(404);
    // An OPEN letter is readable, but reading is not acting on it.
    expect((await h.call("POST", `/api/letters/${letters.OPEN}/minute`, { token: finOfficer.token, body: { text: "x" } })).status).toBe(403);
  });

  it("boxes hold only the caller's own letters", async () => {
    const box = await h.call<{ items: { id: string }[] }>("GET", "/api/letters?box=for-action&limit=100", { token: finOfficer.token });
    expect(box.body.items).toEqual([]);
    const mine = await h.call<{ items: { id: string }[] }>("GET", "/api/letters?box=for-action&limit=100", { token: officerA.token });
    expect(mine.body.items.map((l) => l.id)).toEqual(expect.arrayContaining(Object.values(letters)));
  });
});

describe("reading files", () => {
  it("lists only the files the caller may read, and never another agency's", async () => {
    const ids = async (p: Person) => (await h.call<{ items: { id: string }[] }>("GET", "/api/files?limit=100", { token: p.token })).body.items.map((f) => f.id);
    expect(await ids(registry)).toEqual(expect.arrayContaining([openFileId, restrictedFileId]));
    expect(await ids(registry)).not.toContain(foreignFileId);
    expect(await ids(finOfficer)).toContain(openFileId);
    expect(await ids(finOfficer)).not.toContain(restrictedFileId);
    expect(await ids(foreignRegistry)).toEqual([foreignFileId]);
    expect((await h.call("GET", `/api/files/${restrictedFileId}`, { token: finOfficer.token })).status).toBe(404);
    expect((await h.call("GET", `/api/files/${restrictedFileId}`, { token: officerA.token })).status).toBe(200);
  });

  it("another agency's ids are unknown here: 404 in the path, 400 in a body", async () => {
    expect((await h.call("GET", `/api/files/${foreignFileId}`, { token: registry.token })).status).toBe(404);
    expect((await h.call("POST", `/api/files/${foreignFileId}/close`, { token: registry.token })).status).toBe(404);
    const filed = await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: officerA.id, fileId: foreignFileId } });
    expect([filed.status, field<{ path: string }[]>(filed.body, "error", "details")[0]?.path]).toEqual([400, "fileId"]);
    const assigned = await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: foreignRegistry.id } });
    expect([assigned.status, field<{ path: string }[]>(assigned.body, "error", "details")[0]?.path]).toEqual([400, "assigneeId"]);
    const forwarded = await h.call("POST", `/api/letters/${letters.OPEN}/forward`, { token: officerA.token, body: { to: foreignRegistry.id } });
    expect([forwarded.status, field<{ path: string }[]>(forwarded.body, "error", "details")[0]?.path]).toEqual([400, "to"]);
  });

  it("a deactivated user cannot be given a letter", async () => {
    const gone = await h.addPerson({ agencyId: h.demo.agencyId, email: "gone@demo.go.tz", roles: ["officer"], departmentId: h.demo.departmentId });
    await h.directory.updateUser(h.demo.agencyId, gone.id, { active: false });
    const res = await h.call("POST", "/api/letters", { token: registry.token, body: { subject: "x", direction: "INCOMING", assigneeId: gone.id } });
    expect(res.status).toBe(400);
  });
});
