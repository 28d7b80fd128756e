import { describe, expect, it } from "vitest";
import { canReadFile, canReadLetter, mayAttach } from "../../../functions/core/access";
import { checkUpload, matchesDeclaredType, MAX_ATTACHMENT_BYTES } from "../../../functions/core/attachments";
import { closeFile, fileLetter, openFile, reopenFile, type RegistryFile } from "../../../functions/core/files";
import { byUrgency, stateBox, overdueBox, urgencyKey, type Letter } from "../../../functions/core/letters";
import { localDate, localYear, RuleError, type Classification } from "../../../functions/core/records";
import { fileReference, letterReference, parseReference } from "../../../functions/core/references";
import { NOW, actor, letterIn, type Person } from "./fixtures";

describe("references", () => {
  it("formats file and letter references with a four-digit running number that grows past 9999", () => {
    expect(fileReference("DEMO", "ADM", 2026, 7)).toBe("DEMO/ADM/2026/0007");
    expect(letterReference("DEMO", "INCOMING", 2026, 12)).toBe("DEMO/IN/2026/0012");
    expect(letterReference("DEMO", "OUTGOING", 2026, 1)).toBe("DEMO/OUT/2026/0001");
    expect(letterReference("DEMO", "INTERNAL", 2027, 12345)).toBe("DEMO/INT/2027/12345");
    expect(() => fileReference("DEMO", "ADM", 2026, 0)).toThrow();
  });

  it("takes the year in the agency's time zone, not UTC", () => {
    const newYearsEveUtc = new Date("2026-12-31T22:30:00Z");
    expect(localYear(newYearsEveUtc, "Africa/Dar_es_Salaam")).toBe(2027);
    expect(localYear(newYearsEveUtc, "UTC")).toBe(2026);
    expect(localDate(new Date("2026-05-17T21:30:00Z"), "Africa/Dar_es_Salaam")).toBe("2026-05-18");
  });

  it("reads a typed reference back, in any case", () => {
    expect(parseReference("demo/adm/2026/0007")).toEqual({ agency: "DEMO", series: "ADM", year: 2026, number: 7 });
    expect(parseReference("DEMO-ADM-2026-7")).toBeNull();
  });
});

describe("who may read a letter", () => {
  // R registry (REG), A assignee, C earlier holder, S/T supervisors of D1, O supervisor of D2,
  // X officer of D1 outside the chain, M administrator.
  const expected: Record<Classification, Record<Person, boolean>> = {
    OPEN: { R: true, A: true, C: true, S: true, T: true, O: true, X: true, M: true, B: true },
    RESTRICTED: { R: true, A: true, C: true, S: true, T: true, O: false, X: false, M: false, B: false },
    CONFIDENTIAL: { R: false, A: true, C: true, S: true, T: true, O: false, X: false, M: false, B: false },
  };
  for (const classification of ["OPEN", "RESTRICTED", "CONFIDENTIAL"] as const) {
    for (const [person, allowed] of Object.entries(expected[classification]) as [Person, boolean][]) {
      it(`${classification}: ${person} ${allowed ? "may" : "may not"} read`, () => {
        // The registry clerk is outside this letter's chain here, to test the registry rule itself.
        const letter = letterIn("IN_PROGRESS", { classification, chain: ["C", "A"], registeredBy: "Q" });
        expect(canReadLetter(actor(person), letter)).toBe(allowed);
      });
    }
  }

  it("a confidential letter stays readable by a registry clerk who is in its chain", () => {
    expect(canReadLetter(actor("R"), letterIn("FOR_ACTION", { classification: "CONFIDENTIAL" }))).toBe(true);
  });

  it("only those who work on a letter, the registry and its department supervisors attach to it", () => {
    const open = letterIn("IN_PROGRESS", { classification: "OPEN" });
    expect(mayAttach(actor("A"), open)).toBe(true);
    expect(mayAttach(actor("R"), open)).toBe(true);
    expect(mayAttach(actor("T"), open)).toBe(true);
    expect(mayAttach(actor("X"), open)).toBe(false);
    expect(mayAttach(actor("M"), open)).toBe(false);
  });
});

describe("who may read a file", () => {
  const file = (classification: Classification): RegistryFile => ({
    ...openFile({ id: "F", agencyId: "AG", reference: "DEMO/D1/2026/0001", title: "Ununuzi", departmentId: "D1", classification }, actor("R"), NOW),
  });
  it("OPEN: everyone; RESTRICTED: registry and the department; CONFIDENTIAL: registry and department supervisors", () => {
    const readers = (c: Classification) => (["R", "A", "S", "O", "X", "M"] as Person[]).filter((p) => canReadFile(actor(p), file(c)));
    expect(readers("OPEN")).toEqual(["R", "A", "S", "O", "X", "M"]);
    expect(readers("RESTRICTED")).toEqual(["R", "A", "S", "X"]);
    expect(readers("CONFIDENTIAL")).toEqual(["R", "S"]);
  });
});

describe("files", () => {
  const opened = () => openFile({ id: "F", agencyId: "AG", reference: "DEMO/ADM/2026/0001", title: "T", departmentId: "D1", classification: "OPEN" }, actor("R"), NOW);

  it("gives folios 1, 2, 3 in turn and refuses letters once closed, until reopened", () => {
    let file = opened();
    const folios: number[] = [];
    for (let i = 0; i < 3; i++) {
      const next = fileLetter(file, NOW);
      folios.push(next.folio);
      file = next.file;
    }
    expect(folios).toEqual([1, 2, 3]);
    const closed = closeFile(file, actor("R"), NOW);
    expect(closed).toMatchObject({ status: "CLOSED", version: file.version + 1 });
    expect(() => fileLetter(closed, NOW)).toThrow(RuleError);
    expect(fileLetter(reopenFile(closed, actor("M"), NOW), NOW).folio).toBe(4);
  });

  it("refuses officers, double closes and stale versions", () => {
    const file = opened();
    const code = (fn: () => unknown) => {
      try {
        fn();
        return "ok";
      } catch (e) {
        return (e as RuleError).code;
      }
    };
    expect(code(() => closeFile(file, actor("A"), NOW))).toBe("FORBIDDEN");
    expect(code(() => reopenFile(file, actor("R"), NOW))).toBe("INVALID_TRANSITION");
    expect(code(() => closeFile(file, actor("R"), NOW, 7))).toBe("CONFLICT");
    expect(code(() => openFile({ id: "F", agencyId: "AG", reference: "x", title: "T", departmentId: "D1", classification: "OPEN" }, actor("S"), NOW))).toBe(
      "FORBIDDEN",
    );
  });
});

describe("boxes and urgency", () => {
  it("sorts most urgent first: priority, then the earliest due date", () => {
    const l = (id: string, priority: Letter["priority"], dueAt: string) => letterIn("FOR_ACTION", { id, priority, dueAt });
    const letters = [
      l("a", "NORMAL", "2026-05-20T00:00:00.000Z"),
      l("b", "URGENT", "2026-06-20T00:00:00.000Z"),
      l("c", "LOW", "2026-05-19T00:00:00.000Z"),
      l("d", "NORMAL", "2026-05-19T00:00:00.000Z"),
      l("e", "HIGH", "2026-07-01T00:00:00.000Z"),
      l("f", "URGENT", "2026-06-01T00:00:00.000Z"),
    ];
    expect([...letters].sort(byUrgency).map((x) => x.id)).toEqual(["f", "b", "e", "d", "a", "c"]);
    // The store sorts by the key as a string; it must agree.
    expect([...letters].sort((x, y) => urgencyKey(x).localeCompare(urgencyKey(y))).map((x) => x.id)).toEqual(["f", "b", "e", "d", "a", "c"]);
  });

  it("puts a letter in its holder's state box and, when overdue, in the assignee's overdue box", () => {
    expect(stateBox(letterIn("FOR_ACTION"))).toEqual({ box: "for-action", userId: "A" });
    expect(stateBox(letterIn("IN_PROGRESS"))).toEqual({ box: "in-progress", userId: "A" });
    expect(stateBox(letterIn("AWAITING_APPROVAL"))).toEqual({ box: "awaiting-approval", userId: "S" });
    expect(stateBox(letterIn("CLOSED"))).toBeNull();
    expect(overdueBox(letterIn("AWAITING_APPROVAL", { overdue: true }))).toBe("A");
    expect(overdueBox(letterIn("CLOSED", { overdue: true }))).toBeNull();
  });
});

describe("attachment checks", () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);
  it("recognises each allowed type by its leading bytes", () => {
    expect(matchesDeclaredType("application/pdf", new TextEncoder().encode("%PDF-1.7\n"))).toBe(true);
    expect(matchesDeclaredType("image/png", bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe(true);
    expect(matchesDeclaredType("image/jpeg", bytes(0xff, 0xd8, 0xff, 0xe0))).toBe(true);
    expect(matchesDeclaredType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", bytes(0x50, 0x4b, 3, 4, 20))).toBe(true);
    const odt = new Uint8Array(128);
    odt.set([0x50, 0x4b, 3, 4]);
    odt.set(new TextEncoder().encode("mimetypeapplication/vnd.oasis.opendocument.text"), 30);
    expect(matchesDeclaredType("application/vnd.oasis.opendocument.text", odt)).toBe(true);
  });

  it("refuses a PNG declared as PDF, a plain zip declared as ODT, and a wrong size", () => {
    const png = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
    expect(matchesDeclaredType("application/pdf", png)).toBe(false);
    expect(matchesDeclaredType("application/vnd.oasis.opendocument.text", bytes(0x50, 0x4b, 3, 4, 20))).toBe(false);
    expect(checkUpload({ size: 100, contentType: "image/png" }, { size: 99, head: png })).toMatchObject({ ok: false, code: "size" });
    expect(checkUpload({ size: 8, contentType: "application/pdf" }, { size: 8, head: png })).toMatchObject({ ok: false, code: "type" });
    expect(checkUpload({ size: 8, contentType: "image/png" }, { size: 8, head: png })).toEqual({ ok: true });
    expect(MAX_ATTACHMENT_BYTES).toBe(26_214_400);
  });
});
