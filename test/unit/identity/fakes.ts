import type { OtpChallenge } from "../../../functions/core/otp";
import type { ChallengeStore } from "../../../functions/identity/provider";

/** An in-memory challenge store with the Directory store's semantics (count first, consume once). */
export class MemoryChallenges implements ChallengeStore {
  readonly items = new Map<string, OtpChallenge>();

  async saveChallenge(email: string, challenge: OtpChallenge): Promise<void> {
    this.items.set(email, { ...challenge });
  }

  async countTry(email: string): Promise<OtpChallenge | undefined> {
    const found = this.items.get(email);
    if (!found) return undefined;
    found.attempts += 1;
    return { ...found };
  }

  async consume(email: string, challenge: OtpChallenge): Promise<boolean> {
    const found = this.items.get(email);
    if (!found || found.issuedAt !== challenge.issuedAt) return false;
    this.items.delete(email);
    return true;
  }
}
