import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { issueChallenge, OTP_MAX_ATTEMPTS, OTP_REQUEST_LIMIT } from "../../../functions/core/otp";
import { LocalTokenKeys } from "../../../functions/platform/auth";
import { logger } from "../../../functions/platform/logger";
import { OtpStore } from "../../../functions/store/otp";
import { DEMO, field, startHarness, type Harness } from "./harness";

let h: Harness;

beforeAll(async () => {
  h = await startHarness("login");
});
afterAll(async () => {
  await h?.stop();
});

/** A code other than the right one. */
const wrong = (code: string | undefined) => (code === "000000" ? "111111" : "000000");

describe("sign-in with a one-time code", () => {
  it("mails a code that signs the user in, and the token opens /api/me", async () => {
    // Prepare
    const otp = await h.call("POST", "/api/auth/otp", { body: { email: "  Officer.A@Demo.go.tz " } });
    // Assess
    expect(otp).toMatchObject({ status: 202, body: { sent: true } });
    const [mail] = h.mailbox.list({ to: DEMO.officerA });
    expect(mail?.subject).toBe("Msimbo wako wa kuingia Ofisi Mtandao");
    expect(mail?.text).toContain("Habari Amina Afisa");
    const code = h.lastCode(DEMO.officerA);
    expect(code).toMatch(/^\d{6}$/);

    const token = await h.call("POST", "/api/auth/token", { body: { email: DEMO.officerA, code } });
    expect(token.status).toBe(200);
    expect(Date.parse(field<string>(token.body, "expiresAt"))).toBeGreaterThan(Date.now() + 7 * 3600_000);
    expect(field(token.body, "user")).toMatchObject({ email: DEMO.officerA, agencyCode: "DEMO", roles: ["officer"], language: "sw" });

    const me = await h.call("GET", "/api/me", { token: field<string>(token.body, "token") });
    expect(me.status).toBe(200);
    expect(me.body).toEqual(field(token.body, "user"));
    expect(Object.keys(me.body as object).sort()).toEqual(
      ["agencyCode", "agencyId", "departmentId", "email", "id", "language", "name", "roles", "supervisorId"].sort(),
    );
  });

  it("uses a code once only", async () => {
    await h.call("POST", "/api/auth/otp", { body: { email: DEMO.registry } });
    const code = h.lastCode(DEMO.registry);
    expect((await h.call("POST", "/api/auth/token", { body: { email: DEMO.registry, code } })).status).toBe(200);
    const again = await h.call("POST", "/api/auth/token", { body: { email: DEMO.registry, code } });
    expect(again).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
  });

  it("mails in English to a user who chose English", async () => {
    const token = await h.login(DEMO.supervisor);
    expect((await h.call("PATCH", "/api/me", { token, body: { language: "en" } })).status).toBe(200);
    await h.call("POST", "/api/auth/otp", { body: { email: DEMO.supervisor } });
    const [mail] = h.mailbox.list({ to: DEMO.supervisor, limit: 1 });
    expect(mail?.subject).toBe("Your Ofisi Mtandao sign-in code");
    expect(mail?.text).toContain("Your sign-in code is:");
  });

  it("answers a wrong code with 401", async () => {
    await h.call("POST", "/api/auth/otp", { body: { email: DEMO.admin } });
    const code = h.lastCode(DEMO.admin);
    const res = await h.call("POST", "/api/auth/token", { body: { email: DEMO.admin, code: wrong(code) } });
    expect(res).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    // The right code still works after one wrong try.
    expect((await h.call("POST", "/api/auth/token", { body: { email: DEMO.admin, code } })).status).toBe(200);
  });

  it(`voids a code after ${OTP_MAX_ATTEMPTS} wrong tries`, async () => {
    await h.call("POST", "/api/auth/otp", { body: { email: DEMO.admin } });
    const code = h.lastCode(DEMO.admin);
    for (let i = 0; i < OTP_MAX_ATTEMPTS; i += 1) {
      expect((await h.call("POST", "/api/auth/token", { body: { email: DEMO.admin, code: wrong(code) } })).status).toBe(401);
    }
    const right = await h.call("POST", "/api/auth/token", { body: { email: DEMO.admin, code } });
    expect(right).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
  });

  it("refuses an expired code", async () => {
    // Prepare: a challenge issued 11 minutes ago, with a known code.
    const store = new OtpStore(h.doc, h.directoryTable);
    const { challenge } = issueChallenge(new Date(Date.now() - 11 * 60_000), { code: "424242" });
    await store.saveChallenge(DEMO.officerB, challenge);
    // Act
    const res = await h.call("POST", "/api/auth/token", { body: { email: DEMO.officerB, code: "424242" } });
    // Assess
    expect(res).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    // The same code within its 10 minutes is accepted, so it was the expiry that refused it.
    await store.saveChallenge(DEMO.officerB, issueChallenge(new Date(Date.now() - 9 * 60_000), { code: "424242" }).challenge);
    expect((await h.call("POST", "/api/auth/token", { body: { email: DEMO.officerB, code: "424242" } })).status).toBe(200);
  });

  it("answers an unknown address of an agency domain like a known one, and mails nothing", async () => {
    const res = await h.call("POST", "/api/auth/otp", { body: { email: "nobody@demo.go.tz" } });
    expect(res).toMatchObject({ status: 202, body: { sent: true } });
    expect(h.mailbox.list({ to: "nobody@demo.go.tz" })).toEqual([]);
    const token = await h.call("POST", "/api/auth/token", { body: { email: "nobody@demo.go.tz", code: "123456" } });
    expect(token).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
  });

  it("refuses an address of a domain no agency owns with 403 DOMAIN_NOT_ALLOWED", async () => {
    const before = await h.snapshot();
    const res = await h.call("POST", "/api/auth/otp", { body: { email: "someone@gmail.com" } });
    expect(res).toMatchObject({ status: 403, body: { error: { code: "DOMAIN_NOT_ALLOWED" } } });
    expect(h.mailbox.list({ to: "someone@gmail.com" })).toEqual([]);
    expect(await h.snapshot()).toEqual(before);
  });

  it(`limits code requests to ${OTP_REQUEST_LIMIT.max} per address, then answers 429`, async () => {
    const email = "limited@demo.go.tz";
    for (let i = 0; i < OTP_REQUEST_LIMIT.max; i += 1) {
      expect((await h.call("POST", "/api/auth/otp", { body: { email } })).status).toBe(202);
    }
    const res = await h.call("POST", "/api/auth/otp", { body: { email: "LIMITED@demo.go.tz" } });
    expect(res).toMatchObject({ status: 429, body: { error: { code: "RATE_LIMITED" } } });
    // Another address is not affected.
    expect((await h.call("POST", "/api/auth/otp", { body: { email: "other@demo.go.tz" } })).status).toBe(202);
  });

  it("keeps codes and tokens out of the responses' error messages", async () => {
    await h.call("POST", "/api/auth/otp", { body: { email: DEMO.registry } });
    const code = h.lastCode(DEMO.registry) ?? "";
    const res = await h.call("POST", "/api/auth/token", { body: { email: DEMO.registry, code: wrong(code) } });
    expect(res.text).not.toContain(code);
  });
});

describe("mail and logs", () => {
  it("answers 503 when the code cannot be mailed, alike for a user and an unknown address", async () => {
    h.mailbox.setFailing(true);
    try {
      const res = await h.call("POST", "/api/auth/otp", { body: { email: DEMO.supervisor } });
      expect(res).toMatchObject({ status: 503, body: { error: { code: "UNAVAILABLE" } } });
      // The same answer for an address without a user, so an outage does not reveal who has an account.
      const unknown = await h.call("POST", "/api/auth/otp", { body: { email: "nobody.else@demo.go.tz" } });
      expect(unknown.status).toBe(res.status);
      expect(unknown.body).toEqual(res.body);
    } finally {
      h.mailbox.setFailing(false);
    }
    expect((await h.call("POST", "/api/auth/otp", { body: { email: "nobody.else@demo.go.tz" } })).status).toBe(202);
  });

  it("never writes a code or a token to the logs", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    logger.setLogLevel("DEBUG");
    let code: string;
    let token: string;
    try {
      await h.call("POST", "/api/auth/otp", { body: { email: DEMO.officerA } });
      code = h.lastCode(DEMO.officerA) ?? "";
      await h.call("POST", "/api/auth/token", { body: { email: DEMO.officerA, code: wrong(code) } });
      const res = await h.call("POST", "/api/auth/token", { body: { email: DEMO.officerA, code } });
      token = field<string>(res.body, "token");
      await h.call("GET", "/api/me", { token });
      await h.call("GET", "/api/me", { token: `${token}x` });
    } finally {
      logger.setLogLevel("WARN");
      spy.mockRestore();
    }
    const logs = written.join("");
    expect(logs).toContain("signed in");
    expect(logs).toContain("token refused");
    expect(code).toMatch(/^\d{6}$/);
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(token.split(".")[2]);
    expect(logs).not.toContain(token.split(".")[1]);
  });
});

describe("deactivated users", () => {
  it("cannot sign in, and their existing token is refused on the next request", async () => {
    // Prepare: officer B is signed in.
    const adminToken = await h.login(DEMO.admin);
    const officerToken = await h.login(DEMO.officerB);
    const me = await h.call("GET", "/api/me", { token: officerToken });
    expect(me.status).toBe(200);
    await h.call("POST", "/api/auth/otp", { body: { email: DEMO.officerB } });
    const pendingCode = h.lastCode(DEMO.officerB);
    const mailsBefore = h.mailbox.list({ to: DEMO.officerB }).length;

    // Act: the administrator deactivates officer B.
    const patch = await h.call("PATCH", `/api/users/${field<string>(me.body, "id")}`, { token: adminToken, body: { active: false } });
    expect(patch).toMatchObject({ status: 200, body: { active: false } });

    // Assess
    expect(await h.call("GET", "/api/me", { token: officerToken })).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    expect((await h.call("POST", "/api/auth/token", { body: { email: DEMO.officerB, code: pendingCode } })).status).toBe(401);
    expect((await h.call("POST", "/api/auth/otp", { body: { email: DEMO.officerB } })).status).toBe(202);
    expect(h.mailbox.list({ to: DEMO.officerB })).toHaveLength(mailsBefore);

    // Reactivated, the same token works again.
    await h.call("PATCH", `/api/users/${field<string>(me.body, "id")}`, { token: adminToken, body: { active: true } });
    expect((await h.call("GET", "/api/me", { token: officerToken })).status).toBe(200);
  });
});

describe("tokens", () => {
  it("refuses expired, forged and foreign tokens with 401", async () => {
    const token = await h.login(DEMO.officerA);
    const me = await h.call("GET", "/api/me", { token });
    const identity = { email: DEMO.officerA, userId: field<string>(me.body, "id"), agencyId: field<string>(me.body, "agencyId") };

    // Signed with the right key, but 9 hours ago (tokens live 8 hours).
    const expired = await new LocalTokenKeys(h.dataDir, () => new Date(Date.now() - 9 * 3600_000)).sign(identity);
    // Signed with another installation's key.
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const otherDir = mkdtempSync(`${tmpdir()}/ofisi-other-key-`);
    const foreign = await new LocalTokenKeys(otherDir).sign(identity);
    rmSync(otherDir, { recursive: true, force: true });
    // The right header and claims, an altered payload (another user) with the original signature.
    const [header, , signature] = token.split(".");
    const payload = Buffer.from(JSON.stringify({ ...identity, sub: "someone-else", iss: "ofisi-mtandao/local", aud: "ofisi-mtandao", exp: 9999999999 })).toString("base64url");
    const tampered = `${header}.${payload}.${signature}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: "none", typ: "JWT" })).toString("base64url")}.${payload}.`;

    for (const bad of [expired.token, foreign.token, tampered, unsigned, "not-a-token", ""]) {
      const res = await h.call("GET", "/api/me", { headers: { authorization: `Bearer ${bad}` } });
      expect(res, bad.slice(0, 20)).toMatchObject({ status: 401, body: { error: { code: "UNAUTHENTICATED" } } });
    }
    expect((await h.call("GET", "/api/me", { headers: { authorization: token } })).status).toBe(401);
    expect((await h.call("GET", "/api/me")).status).toBe(401);
  });

  it("keeps the signing key under the data folder, readable by its owner only", async () => {
    const { statSync } = await import("node:fs");
    const keyFile = new LocalTokenKeys(h.dataDir).keyFile;
    expect(keyFile.startsWith(`${h.dataDir}/keys/`)).toBe(true);
    expect(statSync(keyFile).mode & 0o077).toBe(0);
  });
});
