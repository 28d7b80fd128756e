import type { User } from "../core/directory";
import type { OtpChallenge } from "../core/otp";
import type { IssuedToken } from "../platform/auth";

/**
 * An identity provider delivers a one-time code to a user's address and exchanges a right code
 * for a token. Locally that is our own code, mailbox and signing key; in the cloud it is Cognito's
 * email one-time-code sign-in (DESIGN.md section 7). The rest of the code sees only the token.
 */
export interface IdentityProvider {
  /** Starts a sign-in: a fresh code goes to the user's address (replacing any earlier one). */
  sendCode(user: User, now: Date): Promise<void>;
  /**
   * For an address that gets no code (no active user): fails as `sendCode` would if no code could
   * be delivered right now, and sends nothing, so the answer does not tell whether a user exists.
   */
  checkDelivery(now: Date): Promise<void>;
  /** A token for a right code; null for a wrong, expired, used-up or missing code. */
  exchangeCode(user: User, code: string, now: Date): Promise<IssuedToken | null>;
}

/** Where challenges are kept between the two steps (the Directory table, see `store/otp.ts`). */
export interface ChallengeStore {
  saveChallenge(email: string, challenge: OtpChallenge): Promise<void>;
  countTry(email: string): Promise<OtpChallenge | undefined>;
  consume(email: string, challenge: OtpChallenge): Promise<boolean>;
}
