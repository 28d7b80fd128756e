import { emailDomain, type User } from "../core/directory";
import { requestAllowed } from "../core/otp";
import type { Principal } from "../core/permissions";
import { principalOf, type IssuedToken, type PrincipalDirectory } from "../platform/auth";
import { AppError, RateLimitedError, UnauthenticatedError } from "../platform/errors";
import { logger } from "../platform/logger";
import type { IdentityProvider } from "./provider";

export interface SignInDirectory extends PrincipalDirectory {
  agencyIdForDomain(domain: string): Promise<string | undefined>;
}

export interface RequestCounter {
  /** Counts one code request for the address and returns the count in the current window. */
  countRequest(email: string, now: Date): Promise<number>;
}

const WRONG_CODE = "The code is wrong or no longer valid; request a new code";

/**
 * Sign-in with a one-time code (DESIGN.md section 6), the same for every provider:
 * - a code is requested for any well-formed address of an agency's domain and the answer is the
 *   same whether or not the address belongs to an active user (no enumeration); only active users
 *   are actually sent a code, and when codes cannot be delivered (mail outage) every address gets
 *   the same 503;
 * - an address no agency owns is refused with `DOMAIN_NOT_ALLOWED`;
 * - each address may request a limited number of codes per window (429 beyond);
 * - a right code of an active user yields a token and the user's profile; anything else is one
 *   and the same 401.
 */
export class SignInService {
  constructor(
    private readonly deps: {
      directory: SignInDirectory;
      requests: RequestCounter;
      provider: IdentityProvider;
      clock?: () => Date;
    },
  ) {}

  private now(): Date {
    return (this.deps.clock ?? (() => new Date()))();
  }

  async requestCode(email: string): Promise<void> {
    const agencyId = await this.deps.directory.agencyIdForDomain(emailDomain(email));
    if (!agencyId) throw new AppError("DOMAIN_NOT_ALLOWED", "Sign in with the official email address of your agency");
    const now = this.now();
    if (!requestAllowed(await this.deps.requests.countRequest(email, now))) {
      throw new RateLimitedError("Too many codes were requested for this address; wait a few minutes and try again");
    }
    const user = await this.deps.directory.findUserByEmail(email);
    if (!user || !user.active || user.agencyId !== agencyId) {
      // Fails only when a code could not have been sent either, so an outage does not single out users.
      await this.deps.provider.checkDelivery(now);
      logger.info("sign-in code not sent: no active user for the address", { agencyId });
      return;
    }
    await this.deps.provider.sendCode(user, now);
  }

  async exchangeCode(email: string, code: string): Promise<IssuedToken & { principal: Principal }> {
    const user: User | undefined = await this.deps.directory.findUserByEmail(email);
    // A deactivated user cannot sign in, and the answer does not tell an attacker so.
    if (!user || !user.active) throw new UnauthenticatedError(WRONG_CODE);
    const issued = await this.deps.provider.exchangeCode(user, code, this.now());
    if (!issued) throw new UnauthenticatedError(WRONG_CODE);
    const principal = await principalOf(user, this.deps.directory);
    if (!principal) throw new UnauthenticatedError(WRONG_CODE);
    logger.info("signed in", { userId: user.id, agencyId: user.agencyId });
    return { ...issued, principal };
  }
}
