import { GetAccountCommand, SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import type { User } from "../core/directory";
import { checkCode, issueChallenge, signInCodeMessage } from "../core/otp";
import type { IssuedToken, LocalTokenKeys } from "../platform/auth";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";
import type { ChallengeStore, IdentityProvider } from "./provider";

/** The one answer to a code that could not be sent, whether or not the address has a user. */
function codeNotSent(cause: unknown): AppError {
  return new AppError("UNAVAILABLE", "The sign-in code could not be sent; try again shortly", { cause });
}

/**
 * The identity provider of the embedded runtime: codes are generated here, kept hashed in the
 * Directory table, mailed through SES (the local mailbox), and tokens are signed with the local key.
 */
export class LocalIdentityProvider implements IdentityProvider {
  constructor(
    private readonly deps: {
      challenges: ChallengeStore;
      ses: SESv2Client;
      mailFrom: string;
      keys: LocalTokenKeys;
      /** Test seam: the code to issue instead of a random one. */
      nextCode?: () => string;
    },
  ) {}

  async sendCode(user: User, now: Date): Promise<void> {
    const { code, challenge } = issueChallenge(now, { code: this.deps.nextCode?.() });
    await this.deps.challenges.saveChallenge(user.email, challenge);
    const message = signInCodeMessage(user.language, user.name, code);
    try {
      await this.deps.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.deps.mailFrom,
          Destination: { ToAddresses: [user.email] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: "UTF-8" },
              Body: { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } },
            },
          },
        }),
      );
    } catch (error) {
      logger.warn("sign-in code not sent", { userId: user.id, error: error instanceof Error ? error.name : "unknown" });
      throw codeNotSent(error);
    }
    logger.info("sign-in code sent", { userId: user.id, agencyId: user.agencyId });
  }

  /** Asks the mail service whether it is up (GetAccount), so an outage answers alike for every address. */
  async checkDelivery(): Promise<void> {
    try {
      await this.deps.ses.send(new GetAccountCommand({}));
    } catch (error) {
      logger.warn("mail service unavailable for sign-in codes", { error: error instanceof Error ? error.name : "unknown" });
      throw codeNotSent(error);
    }
  }

  async exchangeCode(user: User, code: string, now: Date): Promise<IssuedToken | null> {
    const counted = await this.deps.challenges.countTry(user.email);
    const verdict = checkCode(counted, code, now);
    if (verdict !== "accepted" || !counted) {
      logger.info("sign-in code refused", { userId: user.id, verdict });
      return null;
    }
    if (!(await this.deps.challenges.consume(user.email, counted))) return null;
    return this.deps.keys.sign({ email: user.email, userId: user.id, agencyId: user.agencyId });
  }
}
