import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, inDays, type LetterBody, type Person } from "../letters/harness";
import { startSearchHarness, type SearchHarness } from "./harness";

/**
 * Search shows only what the caller may read (DESIGN.md section 6): the agency's registry, the
 * movement chain and the department's supervisors; every user of the agency for OPEN letters;
 * CONFIDENTIAL ones only to the chain and the department's supervisors. Nothing of another agency.
 */

let h: SearchHarness;
let registry: Person;
let otherClerk: Person;
let officerA: Person;
let officerB: Person;
let admSupervisor: Person;
let finOfficer: Person;
let finSupervisor: Person;
let foreignRegistry: Person;
const letters: Record<"OPEN" | "RESTRICTED" | "CONFIDENTIAL", string> = { OPEN: "", RESTRICTED: "", CONFIDENTIAL: "" };
const files: Record<"OPEN" | "RESTRICTED" | "CONFIDENTIAL", string> = { OPEN: "", RESTRICTED: "", CONFIDENTIAL: "" };
let foreignLetter = "";

const found = async (person: Person, q: string) => {
  const res = await h.search(person, { q });
  expect(res.status).toBe(200);
  return new Set(res.body.items.map((i) => i.id));
};

beforeAll(async () => {
  h = await startSearchHarness("search-visibility");
  registry = await h.person(DEMO.registry);
  officerA = await h.person(DEMO.officerA);
  officerB = await h.person(DEMO.officerB);
  const agencyId = h.demo.agencyId;
  otherClerk = await h.addPerson({ agencyId, email: "registry2@demo.go.tz", roles: ["registry"], departmentId: h.demo.departmentId });
  admSupervisor = await h.addPerson({ agencyId, email: "sup.adm@demo.go.tz", roles: ["supervisor"], departmentId: h.demo.departmentId });
  const fin = await h.directory.createDepartment(agencyId, { code: "FIN", name: "Fedha" });
  finOfficer = await h.addPerson({ agencyId, email: "fin.officer@demo.go.tz", roles: ["officer"], departmentId: fin.id });
  finSupervisor = await h.addPerson({ agencyId, email: "fin.sup@demo.go.tz", roles: ["supervisor"], departmentId: fin.id });
  const foreign = await h.addAgency("MFANO", "mfano.go.tz");
  foreignRegistry = await h.addPerson({ agencyId: foreign.agencyId, email: "registry@mfano.go.tz", roles: ["registry", "officer"], departmentId: foreign.departmentId });

  for (const classification of ["OPEN", "RESTRICTED", "CONFIDENTIAL"] as const) {
    const letter = await h.call<LetterBody>("POST", "/api/letters", {
      token: registry.token,
      body: { subject: `Ukaguzi wa hesabu ${classification}`, direction: "INCOMING", assigneeId: officerA.id, classification, dueAt: inDays(5) },
    });
    letters[classification] = letter.body.id;
    const file = await h.call<{ id: string }>("POST", "/api/files", {
      token: registry.token,
      body: { title: `Jalada la ukaguzi ${classification}`, departmentId: h.demo.departmentId, classification },
    });
    files[classification] = file.body.id;
  }
  // The same words in another agency, even an OPEN letter, stay there.
  const foreignUser = foreignRegistry;
  foreignLetter = (
    await h.call<LetterBody>("POST", "/api/letters", {
      token: foreignUser.token,
      body: { subject: "Ukaguzi wa hesabu OPEN", direction: "INCOMING", assigneeId: foreignUser.id, classification: "OPEN", dueAt: inDays(5) },
    })
  ).body.id;
  await h.indexed();
});

afterAll(async () => {
  await h?.stop();
});

describe("search visibility", () => {
  it("shows the registry every letter but a confidential one it did not register, and every file", async () => {
    const ids = await found(otherClerk, "ukaguzi");
    expect(ids.has(letters.OPEN) && ids.has(letters.RESTRICTED)).toBe(true);
    expect(ids.has(letters.CONFIDENTIAL)).toBe(false);
    for (const id of Object.values(files)) expect(ids.has(id)).toBe(true);
  });

  it("shows the movement chain (registrar, assignee) every letter, confidential included", async () => {
    for (const person of [registry, officerA]) {
      const ids = await found(person, "ukaguzi");
      for (const id of Object.values(letters)) expect(ids.has(id)).toBe(true);
    }
  });

  it("shows an officer of the department outside the chain only the open letter", async () => {
    const ids = await found(officerB, "ukaguzi");
    expect([ids.has(letters.OPEN), ids.has(letters.RESTRICTED), ids.has(letters.CONFIDENTIAL)]).toEqual([true, false, false]);
    expect([ids.has(files.OPEN), ids.has(files.RESTRICTED), ids.has(files.CONFIDENTIAL)]).toEqual([true, true, false]);
  });

  it("shows the department's supervisor every letter of the department", async () => {
    const ids = await found(admSupervisor, "ukaguzi");
    for (const id of Object.values(letters)) expect(ids.has(id)).toBe(true);
  });

  it("shows users of another department only what is open", async () => {
    for (const person of [finOfficer, finSupervisor]) {
      const ids = await found(person, "ukaguzi");
      expect([ids.has(letters.OPEN), ids.has(letters.RESTRICTED), ids.has(letters.CONFIDENTIAL)]).toEqual([true, false, false]);
      expect([ids.has(files.OPEN), ids.has(files.RESTRICTED), ids.has(files.CONFIDENTIAL)]).toEqual([true, false, false]);
    }
  });

  it("never shows another agency's letters, and finds a foreign reference number as nothing", async () => {
    const ours = await found(registry, "ukaguzi hesabu");
    expect(ours.has(foreignLetter)).toBe(false);
    const theirs = await found(foreignRegistry, "ukaguzi");
    expect([...theirs]).toEqual([foreignLetter]);
    const reference = (await h.call<LetterBody>("GET", `/api/letters/${letters.OPEN}`, { token: registry.token })).body.reference;
    expect((await h.search(foreignRegistry, { q: reference })).body.items).toEqual([]);
  });

  it("follows a letter that moves: the new holder finds it, with its new status", async () => {
    const before = await found(officerB, "ukaguzi hesabu restricted");
    expect(before.has(letters.RESTRICTED)).toBe(false);
    const res = await h.call("POST", `/api/letters/${letters.RESTRICTED}/forward`, { token: officerA.token, body: { to: officerB.id } });
    expect(res.status).toBe(200);
    await h.indexed();
    const after = await h.search(officerB, { q: "ukaguzi hesabu restricted" });
    expect(after.body.items.map((i) => [i.id, i.status])).toEqual([[letters.RESTRICTED, "FOR_ACTION"]]);
  });
});
