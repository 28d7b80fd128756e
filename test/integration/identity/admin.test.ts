import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO, field, startHarness, type Harness } from "./harness";

/** What the operator and an agency administrator see when they run the directory. */

let h: Harness;
let operator = "";
let admin = "";
let officer = "";

beforeAll(async () => {
  h = await startHarness("admin");
  operator = await h.login(DEMO.operator);
  admin = await h.login(DEMO.admin);
  officer = await h.login(DEMO.officerA);
});
afterAll(async () => {
  await h?.stop();
});

interface UserBody {
  id: string;
  email: string;
  name: string;
  departmentId: string | null;
  roles: string[];
  supervisorId: string | null;
  language: string;
  active: boolean;
}

describe("onboarding an agency", () => {
  it("creates the agency, its settings, its domains and an administrator who can sign in", async () => {
    // Act
    const res = await h.call("POST", "/api/agencies", {
      token: operator,
      body: {
        code: "TRA",
        name: "Mamlaka ya Mapato",
        emailDomains: ["TRA.go.tz", "tra.or.tz"],
        timezone: "Africa/Nairobi",
        admin: { email: "Mkuu@tra.go.tz", name: "Mkuu wa TEHAMA", language: "en" },
      },
    });
    // Assess
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      code: "TRA",
      emailDomains: ["tra.go.tz", "tra.or.tz"],
      timezone: "Africa/Nairobi",
      cell: "shared",
      admin: { email: "mkuu@tra.go.tz", roles: ["admin"], language: "en", active: true },
    });
    const traAdmin = await h.login("mkuu@tra.go.tz");
    const me = await h.call("GET", "/api/me", { token: traAdmin });
    expect(me.body).toMatchObject({ agencyCode: "TRA", agencyId: field(res.body, "id"), roles: ["admin"] });
    const settings = await h.call("GET", "/api/settings", { token: traAdmin });
    expect(settings.body).toEqual({ defaultDueDays: 7, reminderIntervalHours: 24, escalateAfterDays: 3, digestTime: "07:00", timezone: "Africa/Nairobi" });
    // The second domain is the agency's too.
    expect((await h.call("POST", "/api/auth/otp", { body: { email: "someone@tra.or.tz" } })).status).toBe(202);
  });

  it("refuses a domain that another agency owns, and writes nothing of the new agency", async () => {
    const before = await h.snapshot();
    const res = await h.call("POST", "/api/agencies", {
      token: operator,
      body: { code: "COPY", name: "Copy", emailDomains: ["copy.go.tz", "tra.or.tz"], admin: { email: "a@copy.go.tz", name: "A" } },
    });
    expect(res).toMatchObject({ status: 409, body: { error: { code: "CONFLICT", details: { field: "domain", value: "tra.or.tz" } } } });
    expect(await h.snapshot()).toEqual(before);
    expect((await h.call("POST", "/api/auth/otp", { body: { email: "a@copy.go.tz" } })).status).toBe(403);
  });

  it("lists agencies by code, a page at a time", async () => {
    const first = await h.call("GET", "/api/agencies?limit=2", { token: operator });
    expect(first.status).toBe(200);
    const items = field<{ code: string }[]>(first.body, "items");
    expect(items.map((a) => a.code)).toEqual(["DEMO", "OFISI"]);
    const cursor = field<string>(first.body, "nextCursor");
    expect(cursor).toBeTypeOf("string");
    const second = await h.call("GET", `/api/agencies?limit=2&cursor=${encodeURIComponent(cursor)}`, { token: operator });
    expect(field<{ code: string }[]>(second.body, "items").map((a) => a.code)).toEqual(["TRA"]);
    expect(field(second.body, "nextCursor")).toBeNull();
  });
});

describe("departments", () => {
  it("are created by the administrator and listed for everyone in the agency", async () => {
    const created = await h.call("POST", "/api/departments", { token: admin, body: { code: "FED", name: "Fedha na Utawala" } });
    expect(created.status).toBe(201);
    expect(Object.keys(created.body as object).sort()).toEqual(["code", "id", "name"]);
    const list = await h.call("GET", "/api/departments", { token: officer });
    expect(field<{ code: string }[]>(list.body, "items").map((d) => d.code).sort()).toEqual(["ADM", "FED"]);
    const again = await h.call("POST", "/api/departments", { token: admin, body: { code: "FED", name: "Another" } });
    expect(again).toMatchObject({ status: 409, body: { error: { code: "CONFLICT" } } });
  });

  it("are listed a page at a time; a cursor pointing at another kind of item of the agency is a 400 naming the cursor", async () => {
    const first = await h.call("GET", "/api/departments?limit=1", { token: officer });
    const cursor = field<string>(first.body, "nextCursor");
    const second = await h.call("GET", `/api/departments?limit=1&cursor=${encodeURIComponent(cursor)}`, { token: officer });
    expect([...field<{ code: string }[]>(first.body, "items"), ...field<{ code: string }[]>(second.body, "items")].map((d) => d.code).sort()).toEqual(["ADM", "FED"]);
    // Same partition (the agency's), but a user's or a settings item: outside `begins_with(sk, "DEPT#")`, which DynamoDB refuses.
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as { pk: string; sk: string };
    for (const sk of ["SETTINGS", "DEPTCODE#FED", `USER#${field<string>((await h.call("GET", "/api/me", { token: officer })).body, "id")}`]) {
      const forged = Buffer.from(JSON.stringify({ pk: key.pk, sk })).toString("base64url");
      const res = await h.call("GET", `/api/departments?cursor=${forged}`, { token: officer });
      expect([res.status, field(res.body, "error", "code"), field(res.body, "error", "details", "0", "path")], sk).toEqual([400, "VALIDATION_FAILED", "cursor"]);
    }
  });
});

describe("users", () => {
  let adm = "";
  let supervisorId = "";

  beforeAll(async () => {
    const depts = await h.call("GET", "/api/departments", { token: admin });
    adm = field<{ id: string; code: string }[]>(depts.body, "items").find((d) => d.code === "ADM")?.id ?? "";
    const found = await h.call("GET", "/api/users?q=salim", { token: admin });
    supervisorId = field(found.body, "items", "0", "id");
  });

  it("are created by the administrator and can sign in", async () => {
    const res = await h.call("POST", "/api/users", {
      token: admin,
      body: { email: "Zawadi.Karani@demo.go.tz", name: "Zawadi Karani", departmentId: adm, roles: ["registry", "officer"], supervisorId, language: "en" },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ email: "zawadi.karani@demo.go.tz", roles: ["registry", "officer"], supervisorId, departmentId: adm, language: "en", active: true });
    const token = await h.login("zawadi.karani@demo.go.tz");
    expect((await h.call("GET", "/api/me", { token })).body).toMatchObject({ roles: ["registry", "officer"], supervisorId, departmentId: adm });
  });

  it("refuses a department or supervisor of another agency, naming the field", async () => {
    const traAdmin = await h.login("mkuu@tra.go.tz");
    const traDept = await h.call("POST", "/api/departments", { token: traAdmin, body: { code: "IT", name: "TEHAMA" } });
    const res = await h.call("POST", "/api/users", {
      token: admin,
      body: { email: "x@demo.go.tz", name: "X", departmentId: field(traDept.body, "id"), roles: ["officer"] },
    });
    expect(res).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "departmentId" }] } } });
    const traMe = await h.call("GET", "/api/me", { token: traAdmin });
    const sup = await h.call("POST", "/api/users", {
      token: admin,
      body: { email: "x@demo.go.tz", name: "X", departmentId: adm, roles: ["officer"], supervisorId: field(traMe.body, "id") },
    });
    expect(sup).toMatchObject({ status: 400, body: { error: { code: "VALIDATION_FAILED", details: [{ path: "supervisorId" }] } } });
  });

  it("are changed by the administrator, and the change shows in the user's next request", async () => {
    const found = await h.call("GET", "/api/users?q=officer.b", { token: admin });
    const user = field<UserBody>(found.body, "items", "0");
    const before = await h.login(DEMO.officerB);
    const res = await h.call("PATCH", `/api/users/${user.id}`, {
      token: admin,
      body: { roles: ["officer", "supervisor"], supervisorId: null, name: "Baraka Mkuu", language: "en" },
    });
    expect(res.body).toMatchObject({ id: user.id, roles: ["officer", "supervisor"], supervisorId: null, name: "Baraka Mkuu", language: "en" });
    expect((await h.call("GET", "/api/me", { token: before })).body).toMatchObject({ roles: ["officer", "supervisor"], name: "Baraka Mkuu" });
    // The name index follows the new name.
    const byName = await h.call("GET", "/api/users?q=baraka%20m", { token: officer });
    expect(field<UserBody[]>(byName.body, "items").map((u) => u.id)).toEqual([user.id]);
  });

  it("keep the administrator from locking themself out", async () => {
    const me = await h.call("GET", "/api/me", { token: admin });
    const id = field<string>(me.body, "id");
    const off = await h.call("PATCH", `/api/users/${id}`, { token: admin, body: { active: false } });
    expect(off).toMatchObject({ status: 400, body: { error: { details: [{ path: "active" }] } } });
    const demoted = await h.call("PATCH", `/api/users/${id}`, { token: admin, body: { roles: ["officer"] } });
    expect(demoted).toMatchObject({ status: 400, body: { error: { details: [{ path: "roles" }] } } });
  });

  it("are found by name or email prefix; deactivated ones only by the administrator", async () => {
    const byEmail = await h.call("GET", "/api/users?q=registry%40", { token: officer });
    expect(field<UserBody[]>(byEmail.body, "items").map((u) => u.email)).toEqual([DEMO.registry]);
    const byName = await h.call("GET", "/api/users?q=AMINA", { token: officer });
    expect(field<UserBody[]>(byName.body, "items").map((u) => u.email)).toEqual([DEMO.officerA]);
    expect(field(byName.body, "nextCursor")).toBeNull();

    const zawadi = field<UserBody>((await h.call("GET", "/api/users?q=zawadi", { token: admin })).body, "items", "0");
    await h.call("PATCH", `/api/users/${zawadi.id}`, { token: admin, body: { active: false } });
    expect(field<UserBody[]>((await h.call("GET", "/api/users?q=zawadi", { token: officer })).body, "items")).toEqual([]);
    expect(field<UserBody[]>((await h.call("GET", "/api/users?q=zawadi", { token: admin })).body, "items")).toMatchObject([{ active: false }]);
    const all = await h.call("GET", "/api/users?limit=100", { token: officer });
    expect(field<UserBody[]>(all.body, "items").some((u) => u.id === zawadi.id)).toBe(false);
  });

  it("are listed by name a page at a time, every user exactly once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const res = await h.call("GET", `/api/users?limit=2${query}`, { token: admin });
      expect(res.status).toBe(200);
      const items = field<UserBody[]>(res.body, "items");
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((u) => u.name));
      cursor = field<string | null>(res.body, "nextCursor");
      pages += 1;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(new Set(seen).size);
    expect(seen).toEqual([...seen].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(seen.length).toBeGreaterThanOrEqual(6);
    expect(pages).toBeGreaterThan(2);
  });
});

describe("settings", () => {
  it("are replaced by the administrator and read back", async () => {
    const settings = { defaultDueDays: 10, reminderIntervalHours: 6, escalateAfterDays: 2, digestTime: "06:45", timezone: "Africa/Kampala" };
    const put = await h.call("PUT", "/api/settings", { token: admin, body: settings });
    expect(put).toMatchObject({ status: 200, body: settings });
    expect((await h.call("GET", "/api/settings", { token: admin })).body).toEqual(settings);
    const agencies = await h.call("GET", "/api/agencies", { token: operator });
    expect(field<{ code: string; timezone: string }[]>(agencies.body, "items").find((a) => a.code === "DEMO")?.timezone).toBe("Africa/Kampala");
  });
});

describe("profile", () => {
  it("lets any user change their own name and language", async () => {
    const res = await h.call("PATCH", "/api/me", { token: officer, body: { name: "Amina Afisa Mkuu", language: "en" } });
    expect(res).toMatchObject({ status: 200, body: { name: "Amina Afisa Mkuu", language: "en", roles: ["officer"] } });
    expect((await h.call("GET", "/api/me", { token: officer })).body).toMatchObject({ name: "Amina Afisa Mkuu", language: "en" });
  });
});
