import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Agency, User } from "../../../functions/core/directory";
import {
  Authenticator,
  LocalTokenKeys,
  bearerToken,
  cognitoVerifier,
  forgetPrincipal,
  loadAuthSettings,
  type PrincipalDirectory,
} from "../../../functions/platform/auth";

const dir = mkdtempSync(join(tmpdir(), "ofisi-auth-unit-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const T0 = new Date("2026-03-02T08:00:00.000Z");
const identity = { email: "amina@demo.go.tz", userId: "u1", agencyId: "a1" };

describe("local tokens", () => {
  it("are signed with a key made on first use, kept under keys/ for the owner only, and verified", async () => {
    const keys = new LocalTokenKeys(dir, () => T0);
    const { token, expiresAt } = await keys.sign(identity);
    expect(expiresAt).toBe(new Date(T0.getTime() + 8 * 3600_000).toISOString());
    expect(statSync(join(dir, "keys", "token-signing-key.json")).mode & 0o077).toBe(0);
    // Another instance (a restart, another route group) reads the same key.
    expect(await new LocalTokenKeys(dir, () => T0).verifier().verify(token)).toEqual(identity);
  });

  it("are refused once expired", async () => {
    const { token } = await new LocalTokenKeys(dir, () => T0).sign(identity);
    const later = new LocalTokenKeys(dir, () => new Date(T0.getTime() + 8 * 3600_000 + 1000));
    await expect(later.verifier().verify(token)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("are refused when signed by another key, altered, unsigned or of another issuer", async () => {
    const other = mkdtempSync(join(tmpdir(), "ofisi-auth-other-"));
    const verifier = new LocalTokenKeys(dir, () => T0).verifier();
    const foreign = (await new LocalTokenKeys(other, () => T0).sign(identity)).token;
    rmSync(other, { recursive: true, force: true });
    const { token } = await new LocalTokenKeys(dir, () => T0).sign(identity);
    const [header, payload, signature] = token.split(".");
    const altered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload ?? "", "base64url").toString()), sub: "u2" })).toString("base64url")}.${signature}`;
    const none = `${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`;
    const pair = await generateKeyPair("ES256");
    const otherIssuer = await new SignJWT({ email: identity.email, agency: "a1" })
      .setProtectedHeader({ alg: "ES256" })
      .setIssuer("someone-else")
      .setAudience("ofisi-mtandao")
      .setSubject("u1")
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(pair.privateKey);
    for (const bad of [foreign, altered, none, otherIssuer, "garbage"]) {
      await expect(verifier.verify(bad)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
  });
});

describe("Cognito tokens", () => {
  const userPoolId = "af-south-1_TestPool";
  const clientId = "client-1";
  const issuer = `https://cognito-idp.af-south-1.amazonaws.com/${userPoolId}`;
  let sign: (claims: Record<string, unknown>, exp?: string) => Promise<string>;
  let verifier: ReturnType<typeof cognitoVerifier>;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256");
    const { n, e } = await exportJWK(pair.publicKey);
    const jwk = { kty: "RSA", n: n ?? "", e: e ?? "", kid: "k1", alg: "RS256", use: "sig" };
    const jwtVerifier = CognitoJwtVerifier.create({ userPoolId, clientId, tokenUse: "id" });
    jwtVerifier.cacheJwks({ keys: [jwk] });
    verifier = cognitoVerifier({ userPoolId, clientId }, jwtVerifier);
    sign = (claims, exp = "1h") =>
      new SignJWT({ token_use: "id", aud: clientId, email: "amina@demo.go.tz", email_verified: true, ...claims })
        .setProtectedHeader({ alg: "RS256", kid: "k1" })
        .setIssuer(issuer)
        .setSubject("sub-1")
        .setIssuedAt()
        .setExpirationTime(exp)
        .sign(pair.privateKey);
  });

  it("are verified with aws-jwt-verify and give the holder's email", async () => {
    expect(await verifier.verify(await sign({}))).toEqual({ email: "amina@demo.go.tz" });
  });

  it("are refused when expired, of another client, an access token, or without a verified email", async () => {
    for (const bad of [
      await sign({}, "-1m"),
      await sign({ aud: "client-2" }),
      await sign({ token_use: "access" }),
      await sign({ email_verified: false }),
      await sign({ email: undefined }),
    ]) {
      await expect(verifier.verify(bad)).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    }
  });
});

describe("the token check", () => {
  const agency: Agency = { id: "a1", code: "DEMO", name: "Demo", emailDomains: ["demo.go.tz"], timezone: "Africa/Dar_es_Salaam", cell: "shared", createdAt: "" };
  const amina: User = {
    id: "u1",
    agencyId: "a1",
    email: "amina@demo.go.tz",
    name: "Amina",
    departmentId: "d1",
    roles: ["officer"],
    supervisorId: "u9",
    language: "en",
    active: true,
    createdAt: "",
    updatedAt: "",
  };

  function setup() {
    const record = { ...amina };
    let reads = 0;
    let now = T0.getTime();
    const directory: PrincipalDirectory = {
      getUser: async (agencyId, userId) => {
        reads += 1;
        return agencyId === record.agencyId && userId === record.id ? { ...record } : undefined;
      },
      findUserByEmail: async () => undefined,
      getAgency: async (id) => (id === agency.id ? agency : undefined),
    };
    const tokenFor: Record<string, typeof identity> = { good: identity, stranger: { ...identity, agencyId: "a2" }, renamed: { ...identity, email: "old@demo.go.tz" } };
    const authenticator = new Authenticator(
      {
        verify: async (token) => {
          const found = tokenFor[token];
          if (!found) throw Object.assign(new Error("bad"), { code: "UNAUTHENTICATED" });
          return found;
        },
      },
      directory,
      { clock: () => new Date(now) },
    );
    const headers = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
    return { record, authenticator, headers, reads: () => reads, advance: (ms: number) => (now += ms) };
  }

  it("reads agency, roles and department from the directory", async () => {
    forgetPrincipal("u1");
    const { authenticator, headers } = setup();
    expect(await authenticator.authenticate(headers("good"))).toEqual({
      userId: "u1",
      agencyId: "a1",
      agencyCode: "DEMO",
      email: "amina@demo.go.tz",
      name: "Amina",
      roles: ["officer"],
      departmentId: "d1",
      supervisorId: "u9",
      language: "en",
    });
  });

  it("refuses a token whose user is not in that agency or no longer has that address", async () => {
    forgetPrincipal("u1");
    const { authenticator, headers } = setup();
    await expect(authenticator.authenticate(headers("stranger"))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(authenticator.authenticate(headers("renamed"))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    await expect(authenticator.authenticate({ headers: {} })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("refuses a deactivated user within 60 seconds, and at once after forgetPrincipal", async () => {
    forgetPrincipal("u1");
    const { authenticator, headers, record, reads, advance } = setup();
    await authenticator.authenticate(headers("good"));
    record.active = false;
    // Cached: the directory is not read again within the minute.
    await authenticator.authenticate(headers("good"));
    expect(reads()).toBe(1);
    advance(60_000);
    await expect(authenticator.authenticate(headers("good"))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    record.active = true;
    forgetPrincipal("u1");
    await expect(authenticator.authenticate(headers("good"))).resolves.toMatchObject({ userId: "u1" });
    record.active = false;
    forgetPrincipal("u1");
    await expect(authenticator.authenticate(headers("good"))).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("bearer tokens and configuration", () => {
  it("takes the token of an Authorization: Bearer header only", () => {
    expect(bearerToken({ authorization: "Bearer abc.def.ghi" })).toBe("abc.def.ghi");
    expect(bearerToken({ AUTHORIZATION: "bearer abc" })).toBe("abc");
    expect(bearerToken({ authorization: "Basic abc" })).toBeUndefined();
    expect(bearerToken({ authorization: "Bearer a b" })).toBeUndefined();
    expect(bearerToken({ authorization: `Bearer ${"a".repeat(9000)}` })).toBeUndefined();
    expect(bearerToken(null)).toBeUndefined();
  });

  it("chooses the local provider in the embedded runtime and Cognito elsewhere, failing fast on missing settings", () => {
    expect(loadAuthSettings({ OFISI_RUNTIME: "local", OFISI_DATA_DIR: "/d" })).toEqual({ provider: "local", dataDir: "/d" });
    expect(loadAuthSettings({ COGNITO_USER_POOL_ID: "p", COGNITO_CLIENT_ID: "c" })).toEqual({ provider: "cognito", cognito: { userPoolId: "p", clientId: "c" } });
    expect(() => loadAuthSettings({ COGNITO_USER_POOL_ID: "p" })).toThrow(/COGNITO_CLIENT_ID/);
    expect(() => loadAuthSettings({ OFISI_RUNTIME: "local" })).toThrow(/OFISI_DATA_DIR/);
    expect(() => loadAuthSettings({ AUTH_PROVIDER: "magic" })).toThrow();
  });
});
