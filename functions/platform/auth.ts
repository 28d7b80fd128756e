import { randomUUID } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { CognitoJwtVerifier } from "aws-jwt-verify";
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type CryptoKey, type JWK } from "jose";
import * as z from "zod";
import type { Agency, User } from "../core/directory";
import type { Principal } from "../core/permissions";
import { UnauthenticatedError } from "./errors";
import { logger } from "./logger";

/**
 * The one token check of the API (DESIGN.md sections 6 and 7). A bearer token is verified by the
 * configured provider (local: a key under `${OFISI_DATA_DIR}/keys/`; cloud: the Cognito user
 * pool), and the caller's agency, roles and department are then read from the directory, never
 * from the token or the request. A user who is missing or deactivated is refused.
 *
 * Directory reads are cached per process for at most `PRINCIPAL_CACHE_MS` (60 s), so a deactivated
 * user's token stops working within a minute everywhere (well inside the 5 minutes promised), and
 * at once in the process that made the change (`forgetPrincipal`).
 */

export const PRINCIPAL_CACHE_MS = 60_000;
/** Lifetime of a local token: one working day. */
export const LOCAL_TOKEN_TTL_SECONDS = 8 * 60 * 60;
const MAX_TOKEN_LENGTH = 8 * 1024;
const LOCAL_ISSUER = "ofisi-mtandao/local";
const LOCAL_AUDIENCE = "ofisi-mtandao";
const LOCAL_ALGORITHM = "ES256";

export type Clock = () => Date;
const systemClock: Clock = () => new Date();

/** What a verified token says about its holder; only used to find the user in the directory. */
export interface TokenIdentity {
  email: string;
  userId?: string;
  agencyId?: string;
}

export interface TokenVerifier {
  /** Resolves the identity of a valid token; rejects with `UnauthenticatedError` otherwise. */
  verify(token: string): Promise<TokenIdentity>;
}

export interface IssuedToken {
  token: string;
  expiresAt: string;
}

export type AuthProviderName = "local" | "cognito";

export interface AuthSettings {
  provider: AuthProviderName;
  /** Local provider: where the signing key is kept (`<dataDir>/keys/`). */
  dataDir?: string;
  cognito?: { userPoolId: string; clientId: string };
}

/** Reads the identity configuration: `AUTH_PROVIDER` (default `local` in the embedded runtime, else `cognito`). */
export function loadAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  const fallback: AuthProviderName = env.OFISI_RUNTIME === "local" ? "local" : "cognito";
  const provider = z.enum(["local", "cognito"]).parse(env.AUTH_PROVIDER || fallback);
  if (provider === "local") {
    const dataDir = env.OFISI_DATA_DIR;
    if (!dataDir) throw new Error("Missing configuration: environment variable OFISI_DATA_DIR is not set (AUTH_PROVIDER=local)");
    return { provider, dataDir };
  }
  const userPoolId = env.COGNITO_USER_POOL_ID;
  const clientId = env.COGNITO_CLIENT_ID;
  if (!userPoolId) throw new Error("Missing configuration: environment variable COGNITO_USER_POOL_ID is not set");
  if (!clientId) throw new Error("Missing configuration: environment variable COGNITO_CLIENT_ID is not set");
  return { provider, cognito: { userPoolId, clientId } };
}

const KeyFile = z.object({ kty: z.literal("EC"), crv: z.literal("P-256"), x: z.string(), y: z.string(), d: z.string(), kid: z.string() });

/**
 * The local provider's signing key: generated on first use and kept (owner-readable only) under
 * `<dataDir>/keys/`, so tokens survive restarts of `npm start`.
 */
export class LocalTokenKeys {
  private keys: Promise<{ privateKey: CryptoKey; publicKey: CryptoKey; kid: string }> | undefined;

  constructor(
    private readonly dataDir: string,
    private readonly clock: Clock = systemClock,
    private readonly ttlSeconds: number = LOCAL_TOKEN_TTL_SECONDS,
  ) {}

  get keyFile(): string {
    return join(this.dataDir, "keys", "token-signing-key.json");
  }

  private load() {
    this.keys ??= this.readOrCreate().catch((error: unknown) => {
      this.keys = undefined;
      throw error;
    });
    return this.keys;
  }

  private async readOrCreate() {
    let jwk: z.infer<typeof KeyFile>;
    try {
      jwk = KeyFile.parse(JSON.parse(await readFile(this.keyFile, "utf8")));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const pair = await generateKeyPair(LOCAL_ALGORITHM, { extractable: true });
      const created = KeyFile.parse({ ...(await exportJWK(pair.privateKey)), kid: randomUUID() });
      await mkdir(join(this.dataDir, "keys"), { recursive: true, mode: 0o700 });
      try {
        await writeFile(this.keyFile, JSON.stringify(created), { mode: 0o600, flag: "wx" });
        jwk = created;
      } catch (writeError) {
        // Another process created it first: use theirs, so both sign with one key.
        if ((writeError as NodeJS.ErrnoException).code !== "EEXIST") throw writeError;
        jwk = KeyFile.parse(JSON.parse(await readFile(this.keyFile, "utf8")));
      }
    }
    const { d: _d, ...publicJwk } = jwk;
    const privateKey = (await importJWK(jwk as JWK, LOCAL_ALGORITHM)) as CryptoKey;
    const publicKey = (await importJWK(publicJwk as JWK, LOCAL_ALGORITHM)) as CryptoKey;
    return { privateKey, publicKey, kid: jwk.kid };
  }

  async sign(identity: Required<TokenIdentity>): Promise<IssuedToken> {
    const { privateKey, kid } = await this.load();
    const now = this.clock();
    const issuedAt = Math.floor(now.getTime() / 1000);
    const expires = issuedAt + this.ttlSeconds;
    const token = await new SignJWT({ email: identity.email, agency: identity.agencyId })
      .setProtectedHeader({ alg: LOCAL_ALGORITHM, kid, typ: "JWT" })
      .setIssuer(LOCAL_ISSUER)
      .setAudience(LOCAL_AUDIENCE)
      .setSubject(identity.userId)
      .setIssuedAt(issuedAt)
      .setExpirationTime(expires)
      .setJti(randomUUID())
      .sign(privateKey);
    return { token, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** A verifier of the tokens this key signs. */
  verifier(): TokenVerifier {
    return {
      verify: async (token) => {
        const { publicKey } = await this.load();
        try {
          const { payload } = await jwtVerify(token, publicKey, {
            issuer: LOCAL_ISSUER,
            audience: LOCAL_AUDIENCE,
            algorithms: [LOCAL_ALGORITHM],
            currentDate: this.clock(),
            requiredClaims: ["sub", "exp", "iat"],
          });
          const claims = LocalClaims.safeParse(payload);
          if (!claims.success) throw new Error("unexpected claims");
          return { email: claims.data.email, userId: claims.data.sub, agencyId: claims.data.agency };
        } catch (error) {
          throw rejected(error);
        }
      },
    };
  }
}

const LocalClaims = z.object({ sub: z.string().min(1), email: z.string().min(3), agency: z.string().min(1) });

/** Verifies Cognito ID tokens of the user pool's app client (signature, issuer, audience, expiry, use). */
export function cognitoVerifier(
  settings: { userPoolId: string; clientId: string },
  verifier = CognitoJwtVerifier.create({ userPoolId: settings.userPoolId, clientId: settings.clientId, tokenUse: "id" }),
): TokenVerifier {
  return {
    verify: async (token) => {
      try {
        const payload = await verifier.verify(token);
        const email = typeof payload.email === "string" ? payload.email : undefined;
        if (!email || payload.email_verified === false) throw new Error("token has no verified email");
        return { email };
      } catch (error) {
        throw rejected(error);
      }
    },
  };
}

function rejected(error: unknown): UnauthenticatedError {
  // The reason helps operators; the token itself is never logged.
  logger.info("token refused", { reason: error instanceof Error ? error.name : "unknown" });
  return new UnauthenticatedError("Your sign-in is not valid or has expired; sign in again");
}

/** The directory reads the token check needs. */
export interface PrincipalDirectory {
  getUser(agencyId: string, userId: string): Promise<User | undefined>;
  findUserByEmail(email: string): Promise<User | undefined>;
  getAgency(agencyId: string): Promise<Agency | undefined>;
}

interface CacheEntry {
  principal: Principal | null;
  expires: number;
}

// Shared by every route group loaded in one process (one Lambda container, or the embedded runtime).
const principalCache = new Map<string, CacheEntry>();

/** Drops cached directory reads of a user, after a change to them in this process. */
export function forgetPrincipal(userId: string): void {
  for (const [key, entry] of principalCache) {
    if (entry.principal === null || entry.principal.userId === userId) principalCache.delete(key);
  }
}

/** The principal of a directory user, or null when the user cannot act (deactivated, agency gone). */
export async function principalOf(user: User | undefined, directory: Pick<PrincipalDirectory, "getAgency">): Promise<Principal | null> {
  if (!user || !user.active) return null;
  const agency = await directory.getAgency(user.agencyId);
  if (!agency) return null;
  return {
    userId: user.id,
    agencyId: user.agencyId,
    agencyCode: agency.code,
    email: user.email,
    name: user.name,
    roles: [...user.roles],
    departmentId: user.departmentId,
    supervisorId: user.supervisorId,
    language: user.language,
  };
}

export class Authenticator {
  constructor(
    private readonly verifier: TokenVerifier,
    private readonly directory: PrincipalDirectory,
    private readonly options: { cacheMs?: number; clock?: Clock } = {},
  ) {}

  /** The verified caller of a request; `UnauthenticatedError` for a missing, bad or refused token. */
  async authenticate(event: Pick<APIGatewayProxyEvent, "headers">): Promise<Principal> {
    const token = bearerToken(event.headers);
    if (!token) throw new UnauthenticatedError("Sign in to continue: the Authorization bearer token is missing");
    const identity = await this.verifier.verify(token);
    const principal = await this.lookup(identity);
    if (!principal) {
      logger.info("token refused", { reason: "user missing or deactivated", userId: identity.userId });
      throw new UnauthenticatedError("Your account is not active; ask your administrator");
    }
    return principal;
  }

  private async lookup(identity: TokenIdentity): Promise<Principal | null> {
    const key = identity.userId && identity.agencyId ? `id:${identity.agencyId}/${identity.userId}` : `email:${identity.email}`;
    const now = (this.options.clock ?? systemClock)().getTime();
    const cached = principalCache.get(key);
    if (cached && cached.expires > now) return cached.principal;
    const user =
      identity.userId && identity.agencyId
        ? await this.directory.getUser(identity.agencyId, identity.userId)
        : await this.directory.findUserByEmail(identity.email);
    // A token names one address; a user record that no longer carries it is not its holder.
    const principal = user && user.email === identity.email.toLowerCase() ? await principalOf(user, this.directory) : null;
    const cacheMs = Math.min(this.options.cacheMs ?? PRINCIPAL_CACHE_MS, PRINCIPAL_CACHE_MS);
    if (cacheMs > 0) principalCache.set(key, { principal, expires: now + cacheMs });
    return principal;
  }
}

/** The token of an `Authorization: Bearer <token>` header, or undefined when absent or malformed. */
export function bearerToken(headers: APIGatewayProxyEvent["headers"] | null | undefined): string | undefined {
  let value: string | undefined;
  for (const [name, v] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === "authorization" && v !== undefined) value = v;
  }
  const match = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i.exec(value?.trim() ?? "");
  const token = match?.[1];
  return token && token.length <= MAX_TOKEN_LENGTH ? token : undefined;
}

/** The token verifier of the configured provider. */
export function tokenVerifierFor(settings: AuthSettings, localKeys?: LocalTokenKeys): TokenVerifier {
  if (settings.provider === "cognito" && settings.cognito) return cognitoVerifier(settings.cognito);
  if (!settings.dataDir && !localKeys) throw new Error("The local identity provider needs OFISI_DATA_DIR");
  return (localKeys ?? new LocalTokenKeys(settings.dataDir ?? "")).verifier();
}
