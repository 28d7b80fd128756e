import { describe, expect, it } from "vitest";
import {
  chooseDriver,
  dateBounds,
  documentKeys,
  exactKey,
  fileDocument,
  indexKeys,
  kindsFor,
  letterDocument,
  matchesFilters,
  matchesQuery,
  normaliseReference,
  normaliseText,
  parsePostingSortKey,
  parseSearchText,
  postingSortKey,
  prefixKey,
  canReadDocument,
  tokenize,
  zonedDayStart,
} from "../../../functions/core/search";
import type { RegistryFile } from "../../../functions/core/files";
import { actor, letterIn } from "../letters/fixtures";

describe("normalisation", () => {
  it("folds case, accents and punctuation, and joins apostrophes inside a word", () => {
    expect(normaliseText("MAOMBI ya Ng'ombe — Café, São-Tomé!")).toBe("maombi ya ngombe cafe sao tome");
    expect(normaliseText("Ripoti’s  “Mwaka” 2026/27")).toBe("ripotis mwaka 2026 27");
  });

  it("skips the commonest Kiswahili and English words and single letters, keeps numbers", () => {
    expect(tokenize("Kuhusu ombi la vifaa vya ofisi kwa Wizara ya Maji")).toEqual(["ombi", "vifaa", "ofisi", "wizara", "maji"]);
    expect(tokenize("Re: The request for the supply of office equipment")).toEqual(["request", "supply", "office", "equipment"]);
    expect(tokenize("J. Mwakyusa, Box 9")).toEqual(["mwakyusa", "box", "9"]);
  });

  it("cuts very long words", () => {
    expect(tokenize("a".repeat(5) + "b".repeat(60))[0]).toHaveLength(40);
  });
});

describe("reference numbers", () => {
  it("spells a reference one way however it is typed", () => {
    expect(normaliseReference("DEMO/ADM/2026/0007")).toBe("demo/adm/2026/0007");
    expect(normaliseReference(" demo / Adm/2026/0007 ")).toBe("demo/adm/2026/0007");
    expect(normaliseReference("TRA-HQ.12")).toBe("tra-hq.12");
  });

  it("does not take words or sentences for references", () => {
    expect(normaliseReference("maji")).toBeNull();
    expect(normaliseReference("barua ya 2026/01")).toBeNull();
    expect(normaliseReference("ADM/HR")).toBeNull();
  });
});

describe("index keys", () => {
  it("files a term under its prefixes of 3 to 6 characters, and a long one under itself too", () => {
    expect(indexKeys("maji")).toEqual(["p:maj", "p:maji"]);
    expect(indexKeys("mkurugenzi")).toEqual(["p:mku", "p:mkur", "p:mkuru", "p:mkurug", "t:mkurugenzi"]);
    expect(indexKeys("dc")).toEqual(["p:dc"]);
  });

  it("queries a whole term in a list that holds it, and a prefix in the list of its first 6 characters", () => {
    expect(indexKeys("mkurugenzi")).toContain(exactKey("mkurugenzi"));
    expect(indexKeys("maji")).toContain(exactKey("maji"));
    expect(indexKeys("majibu")).toContain(exactKey("maji"));
    expect(indexKeys("mkurugenzi")).toContain(prefixKey("mkurugen"));
    expect(prefixKey("mk")).toBeNull();
  });

  it("shares prefixes between the terms of a document", () => {
    expect(documentKeys({ terms: ["maji", "majibu"] })).toEqual(["p:maj", "p:maji", "p:majib", "p:majibu"]);
  });

  it("sorts postings by date, then kind and id, and reads them back", () => {
    const sk = postingSortKey({ date: "2026-05-10T07:00:00.000Z", kind: "letter", id: "L1" });
    expect(parsePostingSortKey(sk)).toEqual({ date: "2026-05-10T07:00:00.000Z", kind: "letter", id: "L1" });
    expect(postingSortKey({ date: "2026-05-11T00:00:00.000Z", kind: "file", id: "F" }) > sk).toBe(true);
  });
});

describe("documents", () => {
  it("index a letter's references, subject, sender, organisation, summary and minutes", () => {
    const doc = letterDocument(
      letterIn("IN_PROGRESS", {
        subject: "Ombi la Vifaa",
        summary: "Maombi ya kompyuta mpya",
        sender: { name: "Asha Juma", organisation: "Halmashauri ya Jiji la Dodoma", reference: "HJD/45/2026" },
      }),
      [{ text: "Tafadhali shughulikia haraka" }],
    );
    expect(doc.terms).toEqual(
      ["0001", "2026", "45", "asha", "demo", "dodoma", "halmashauri", "haraka", "hjd", "jiji", "juma", "kompyuta", "maombi", "mpya", "ombi", "shughulikia", "tafadhali", "vifaa"].sort(),
    );
    expect(doc.references).toEqual(["demo/in/2026/0001", "hjd/45/2026"]);
    expect(doc).toMatchObject({ kind: "letter", title: "Ombi la Vifaa", status: "IN_PROGRESS", date: "2026-05-10T07:00:00.000Z", version: 4 });
  });

  it("index a file's reference, title and description", () => {
    const file: RegistryFile = {
      id: "F1",
      agencyId: "AG",
      reference: "DEMO/ADM/2026/0007",
      title: "Personnel records",
      description: "Staff files",
      departmentId: "D1",
      classification: "OPEN",
      status: "OPEN",
      folioCount: 0,
      openedBy: "R",
      createdAt: "2026-01-02T00:00:00.000Z",
      updatedAt: "2026-01-02T00:00:00.000Z",
      closedAt: null,
      version: 1,
    };
    const doc = fileDocument(file);
    expect(doc.terms).toEqual(["0007", "2026", "adm", "demo", "files", "personnel", "records", "staff"]);
    expect(doc.references).toEqual(["demo/adm/2026/0007"]);
  });
});

describe("queries", () => {
  const doc = { terms: ["maji", "mkurugenzi", "ombi", "vifaa"] };

  it("match when every term matches and the last one as a prefix", () => {
    expect(matchesQuery(doc, parseSearchText("ombi vif"))).toBe(true);
    expect(matchesQuery(doc, parseSearchText("vifaa ombi"))).toBe(true);
    expect(matchesQuery(doc, parseSearchText("Mkurugenzi MAJI"))).toBe(true);
    expect(matchesQuery(doc, parseSearchText("ombi kompyuta"))).toBe(false);
  });

  it("match all but the last term whole, and the last whole once a space follows it", () => {
    expect(matchesQuery(doc, parseSearchText("omb vifaa"))).toBe(false);
    expect(matchesQuery(doc, parseSearchText("vif"))).toBe(true);
    expect(matchesQuery(doc, parseSearchText("vif "))).toBe(false);
  });

  it("ignore stop words, and match nothing when nothing else is left", () => {
    expect(parseSearchText("ombi la vifaa").exact).toEqual(["ombi"]);
    expect(parseSearchText("ombi la vifaa").prefix).toBe("vifaa");
    expect(parseSearchText("ya na the").keys).toEqual([]);
    expect(matchesQuery(doc, parseSearchText("ya na"))).toBe(false);
  });

  it("list the posting lists to choose from, one per term", () => {
    expect(parseSearchText("mkurugenzi maj").keys).toEqual(["t:mkurugenzi", "p:maj"]);
    // A short last word has no list; the other terms find candidates and it is checked on them.
    expect(parseSearchText("maji mk").keys).toEqual(["p:maji"]);
    // Alone, it is matched whole.
    expect(parseSearchText("dc").keys).toEqual(["p:dc"]);
  });

  it("recognise a reference number typed whole", () => {
    expect(parseSearchText("DEMO/ADM/2026/0007").reference).toBe("demo/adm/2026/0007");
    expect(parseSearchText("DEMO/ADM/2026/0007").prefix).toBe("0007");
    expect(parseSearchText("maji 2026").reference).toBeNull();
  });
});

describe("query planning", () => {
  it("walks the list whose first entries reach furthest back (the sparsest where the walk starts)", () => {
    expect(
      chooseDriver([
        { key: "p:barua", read: 25, reach: "2026-05-01" },
        { key: "p:maji", read: 25, reach: "2024-01-01" },
      ]),
    ).toBe("p:maji");
  });

  it("prefers a list read to its end, and the shortest of those", () => {
    expect(
      chooseDriver([
        { key: "p:barua", read: 25, reach: "2019-01-01" },
        { key: "p:maji", read: 7, reach: null },
        { key: "p:ombi", read: 3, reach: null },
      ]),
    ).toBe("p:ombi");
  });

  it("reads only the lists of the kinds a filter can match", () => {
    expect(kindsFor({})).toEqual(["letter", "file"]);
    expect(kindsFor({ status: "FOR_ACTION" })).toEqual(["letter"]);
    expect(kindsFor({ status: "OPEN" })).toEqual(["file"]);
    expect(kindsFor({ status: "CLOSED", kind: "file" })).toEqual(["file"]);
    expect(kindsFor({ status: "OPEN", kind: "letter" })).toEqual([]);
  });
});

describe("filters and dates", () => {
  it("turn calendar dates into UTC bounds in the agency's time zone, both days whole", () => {
    expect(zonedDayStart("2026-03-01", "Africa/Dar_es_Salaam").toISOString()).toBe("2026-02-28T21:00:00.000Z");
    expect(zonedDayStart("2026-07-01", "Europe/London").toISOString()).toBe("2026-06-30T23:00:00.000Z");
    expect(dateBounds("2026-03-01", "2026-03-31", "Africa/Dar_es_Salaam")).toEqual({
      from: "2026-02-28T21:00:00.000Z",
      to: "2026-03-31T21:00:00.000Z",
      empty: false,
    });
  });

  it("read dates as days of a time zone behind UTC, and compare them with instants as instants", () => {
    // 1 May in Lima starts at 05:00Z: an instant at 02:00Z that day is before it.
    expect(dateBounds("2026-05-01", "2026-05-01T02:00:00Z", "America/Lima")).toEqual({
      from: "2026-05-01T05:00:00.000Z",
      to: "2026-05-01T02:00:00.001Z",
      empty: true,
    });
    expect(dateBounds("2026-05-01", "2026-05-01", "America/Lima")).toEqual({
      from: "2026-05-01T05:00:00.000Z",
      to: "2026-05-02T05:00:00.000Z",
      empty: false,
    });
    // Noon at +03:00 is 09:00Z, inside 1 May of Dar es Salaam (21:00Z the day before to 21:00Z): not "after to".
    expect(dateBounds("2026-05-01T12:00:00+03:00", "2026-05-01", "Africa/Dar_es_Salaam")).toEqual({
      from: "2026-05-01T09:00:00.000Z",
      to: "2026-05-01T21:00:00.000Z",
      empty: false,
    });
    // One instant is a range of one millisecond; the day after `to` is empty.
    expect(dateBounds("2026-05-01T10:00:00Z", "2026-05-01T10:00:00Z", "UTC")).toMatchObject({ empty: false });
    expect(dateBounds("2026-05-02", "2026-05-01", "America/Lima").empty).toBe(true);
    expect(dateBounds("2026-05-01T10:00:00.001Z", "2026-05-01T10:00:00Z", "UTC").empty).toBe(true);
    expect(dateBounds(undefined, undefined, "UTC")).toEqual({ empty: false });
  });

  it("follow daylight saving and keep years before 100 and around 10000 in the order of the sort keys", () => {
    // The day the clocks go forward in London is 23 hours long.
    expect(dateBounds("2026-03-29", "2026-03-29", "Europe/London")).toEqual({
      from: "2026-03-29T00:00:00.000Z",
      to: "2026-03-29T23:00:00.000Z",
      empty: false,
    });
    expect(dateBounds("0050-01-01", undefined, "UTC").from).toBe("0050-01-01T00:00:00.000Z");
    // Beyond year 9999 an ISO string is "+010000-...", which sorts before every date: left out instead.
    expect(dateBounds("2026-01-01", "9999-12-31", "America/Lima")).toEqual({ from: "2026-01-01T05:00:00.000Z", empty: false });
    // Before year 0 it would be "-000001-...": no lower bound is the same range.
    expect(dateBounds("0000-01-01T00:00:00+05:00", "0000-01-01", "UTC")).toEqual({ to: "0000-01-02T00:00:00.000Z", empty: false });
    for (const bounds of [dateBounds("9999-12-31T23:00:00-12:00", undefined, "UTC"), dateBounds(undefined, "0000-01-01T00:00:00+05:00", "UTC")]) {
      for (const value of [bounds.from, bounds.to]) if (value !== undefined) expect(value).toMatch(/^\d{4}-/);
    }
  });

  it("keep documents of the kind, status and dates asked for", () => {
    const doc = { kind: "letter" as const, status: "CLOSED" as const, date: "2026-03-05T10:00:00.000Z" };
    expect(matchesFilters(doc, { kind: "letter", status: "CLOSED", from: "2026-03-01T00:00:00.000Z", to: "2026-03-06T00:00:00.000Z" })).toBe(true);
    expect(matchesFilters(doc, { kind: "file" })).toBe(false);
    expect(matchesFilters(doc, { status: "FOR_ACTION" })).toBe(false);
    expect(matchesFilters(doc, { to: "2026-03-05T10:00:00.000Z" })).toBe(false);
  });
});

describe("read rule", () => {
  it("applies the letters' rule to what the index keeps", () => {
    const restricted = letterDocument(letterIn("IN_PROGRESS", { classification: "RESTRICTED" }), []);
    const confidential = letterDocument(letterIn("IN_PROGRESS", { classification: "CONFIDENTIAL" }), []);
    const open = letterDocument(letterIn("IN_PROGRESS", { classification: "OPEN" }), []);
    expect(canReadDocument(actor("X"), restricted)).toBe(false);
    expect(canReadDocument(actor("X"), open)).toBe(true);
    expect(canReadDocument(actor("C"), confidential)).toBe(true);
    expect(canReadDocument(actor("T"), confidential)).toBe(true);
    expect(canReadDocument(actor("R"), restricted)).toBe(true);
    expect(canReadDocument({ userId: "Z", roles: ["registry"], departmentId: "REG" }, confidential)).toBe(false);
    expect(canReadDocument(actor("O"), restricted)).toBe(false);
  });
});
