/**
 * The rules of one-time sign-in codes (DESIGN.md section 6): 6 digits, kept only as a salted hash,
 * valid for 10 minutes, void after 5 wrong tries, and a limited number of requests per address.
 * Pure functions with the clock and randomness passed in, so the rules are tested without waiting.
 */
import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { Language } from "./directory";

export const OTP_DIGITS = 6;
export const OTP_TTL_MS = 10 * 60 * 1000;
/** Tries allowed on one code, the right one included; after 5 wrong tries the code is void. */
export const OTP_MAX_ATTEMPTS = 5;
/** Codes one address may request per window. */
export const OTP_REQUEST_LIMIT = { max: 5, windowMs: 15 * 60 * 1000 } as const;

/** What is stored of a challenge: never the code itself. */
export interface OtpChallenge {
  /** HMAC-SHA256 of the code under `salt`; absent when a remote provider holds the code (Cognito). */
  codeHash?: string;
  salt?: string;
  /** The remote provider's session for this sign-in (Cognito `Session`). */
  session?: string;
  issuedAt: string;
  expiresAt: string;
  /** Tries counted so far on this code, the current one included once counted. */
  attempts: number;
}

export type OtpVerdict = "accepted" | "wrong" | "expired" | "void" | "missing";

export function isWellFormedCode(code: string): boolean {
  return new RegExp(`^\\d{${OTP_DIGITS}}$`).test(code);
}

/** A uniformly random code of `OTP_DIGITS` digits. */
export function generateCode(randomDigit: () => number = () => randomInt(0, 10)): string {
  let code = "";
  for (let i = 0; i < OTP_DIGITS; i += 1) code += String(randomDigit());
  return code;
}

export function hashCode(code: string, salt: string): string {
  return createHmac("sha256", salt).update(code).digest("base64url");
}

/** A new challenge for `now`, and the code to deliver (which is kept nowhere else). */
export function issueChallenge(
  now: Date,
  random: { code?: string; salt?: string } = {},
): { code: string; challenge: OtpChallenge } {
  const code = random.code ?? generateCode();
  const salt = random.salt ?? randomBytes(16).toString("base64url");
  return {
    code,
    challenge: {
      codeHash: hashCode(code, salt),
      salt,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + OTP_TTL_MS).toISOString(),
      attempts: 0,
    },
  };
}

/** A challenge whose code a remote provider holds; only its session and the local limits are kept. */
export function remoteChallenge(now: Date, session: string): OtpChallenge {
  return {
    session,
    issuedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + OTP_TTL_MS).toISOString(),
    attempts: 0,
  };
}

export function isExpired(challenge: Pick<OtpChallenge, "expiresAt">, now: Date): boolean {
  return now.getTime() >= Date.parse(challenge.expiresAt);
}

/**
 * Whether a try may go ahead, given the challenge as it is *after* this try was counted
 * (the store counts first, atomically, so parallel guesses cannot exceed the limit).
 */
export function tryVerdict(counted: OtpChallenge | undefined, now: Date): "go" | Exclude<OtpVerdict, "accepted" | "wrong"> {
  if (!counted) return "missing";
  if (isExpired(counted, now)) return "expired";
  if (counted.attempts > OTP_MAX_ATTEMPTS) return "void";
  return "go";
}

/** Checks a code against a locally held challenge (already counted). */
export function checkCode(counted: OtpChallenge | undefined, code: string, now: Date): OtpVerdict {
  if (!counted) return "missing";
  const verdict = tryVerdict(counted, now);
  if (verdict !== "go") return verdict;
  if (!counted.codeHash || !counted.salt || !isWellFormedCode(code)) return "wrong";
  const expected = Buffer.from(counted.codeHash);
  const actual = Buffer.from(hashCode(code, counted.salt));
  return expected.length === actual.length && timingSafeEqual(expected, actual) ? "accepted" : "wrong";
}

/** The fixed request-counting window that `now` falls in, and when it ends. */
export function requestWindow(now: Date, windowMs: number = OTP_REQUEST_LIMIT.windowMs): { index: number; endsAt: Date } {
  const index = Math.floor(now.getTime() / windowMs);
  return { index, endsAt: new Date((index + 1) * windowMs) };
}

export function requestAllowed(countInWindow: number, max: number = OTP_REQUEST_LIMIT.max): boolean {
  return countInWindow <= max;
}

export interface MailMessage {
  subject: string;
  text: string;
  html: string;
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** The sign-in code email, in Kiswahili unless the user chose English. */
export function signInCodeMessage(language: Language, name: string, code: string): MailMessage {
  const minutes = OTP_TTL_MS / 60_000;
  const lines =
    language === "en"
      ? {
          subject: "Your Ofisi Mtandao sign-in code",
          greeting: `Hello ${name},`,
          body: "Your sign-in code is:",
          note: `The code is valid for ${minutes} minutes. If you did not ask to sign in, ignore this email.`,
        }
      : {
          subject: "Msimbo wako wa kuingia Ofisi Mtandao",
          greeting: `Habari ${name},`,
          body: "Msimbo wako wa kuingia ni:",
          note: `Msimbo huu unatumika kwa dakika ${minutes}. Kama hukuomba kuingia, puuza barua pepe hii.`,
        };
  return {
    subject: lines.subject,
    text: `${lines.greeting}\n\n${lines.body} ${code}\n\n${lines.note}\n`,
    html:
      `<p>${escapeHtml(lines.greeting)}</p><p>${escapeHtml(lines.body)}</p>` +
      `<p style="font-size:24px;letter-spacing:4px"><strong>${code}</strong></p><p>${escapeHtml(lines.note)}</p>`,
  };
}
