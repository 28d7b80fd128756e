import { randomBytes } from "node:crypto";
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { User } from "../core/directory";
import { remoteChallenge, tryVerdict } from "../core/otp";
import type { IssuedToken } from "../platform/auth";
import { AppError } from "../platform/errors";
import { logger } from "../platform/logger";
import type { ChallengeStore, IdentityProvider } from "./provider";

/** Cognito's throttles and per-user limits: the caller may try again later (429). */
const THROTTLING_ERRORS = new Set(["TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"]);
/** Cognito could not mail the code: a passing outage on our side, not bad input (503). */
const DELIVERY_ERRORS = new Set(["CodeDeliveryFailureException"]);

/** The API's errors for Cognito failures a caller can act on (retry later); anything else stays a 500. */
export function fromCognitoError(error: unknown): unknown {
  const name = error instanceof Error ? error.name : "";
  if (THROTTLING_ERRORS.has(name)) {
    logger.warn("Cognito refused the sign-in step for now", { error: name });
    return new AppError("RATE_LIMITED", "Too many sign-in attempts right now; wait a few minutes and try again", { cause: error });
  }
  if (DELIVERY_ERRORS.has(name)) {
    logger.warn("sign-in code not sent by Cognito", { error: name });
    return new AppError("UNAVAILABLE", "The sign-in code could not be sent; try again shortly", { cause: error });
  }
  return error;
}

/**
 * A password nobody knows, to make a created user CONFIRMED: the pool requires password as an
 * allowed factor, and an unknown one keeps the email code the only way in. The fixed tail meets
 * any class rule of the password policy; the 256 random bits are what make it unguessable.
 */
function unusablePassword(): string {
  return `${randomBytes(32).toString("base64url")}Aa1!`;
}

/**
 * The cloud identity provider: Cognito's email one-time-code sign-in (choice-based `USER_AUTH`
 * with `EMAIL_OTP`). Cognito generates and mails the code; we keep its session between the two
 * steps in the Directory table, together with our own limits (10 minutes, 5 tries), which apply
 * on top of Cognito's. Self sign-up is off: a directory user who has no Cognito user yet is
 * created here with administrator calls (verified email, no usable password) on first sign-in.
 */
export class CognitoIdentityProvider implements IdentityProvider {
  constructor(
    private readonly deps: {
      client: CognitoIdentityProviderClient;
      userPoolId: string;
      clientId: string;
      challenges: ChallengeStore;
    },
  ) {}

  async sendCode(user: User, now: Date): Promise<void> {
    try {
      await this.ensureCognitoUser(user);
      const started = await this.deps.client.send(
        new InitiateAuthCommand({
          ClientId: this.deps.clientId,
          AuthFlow: "USER_AUTH",
          AuthParameters: { USERNAME: user.email, PREFERRED_CHALLENGE: "EMAIL_OTP" },
        }),
      );
      const session = await this.emailOtpSession(user.email, started);
      await this.deps.challenges.saveChallenge(user.email, remoteChallenge(now, session));
    } catch (error) {
      throw fromCognitoError(error);
    }
    logger.info("sign-in code requested from Cognito", { userId: user.id, agencyId: user.agencyId });
  }

  /**
   * Cognito offers no way to test its mail delivery without mailing someone, so an address that
   * gets no code has nothing to check here; see `IdentityProvider.checkDelivery`.
   */
  async checkDelivery(): Promise<void> {}

  async exchangeCode(user: User, code: string, now: Date): Promise<IssuedToken | null> {
    const counted = await this.deps.challenges.countTry(user.email);
    if (!counted?.session || tryVerdict(counted, now) !== "go") return null;
    let out;
    try {
      out = await this.deps.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.deps.clientId,
          ChallengeName: "EMAIL_OTP",
          Session: counted.session,
          ChallengeResponses: { USERNAME: user.email, EMAIL_OTP_CODE: code },
        }),
      );
    } catch (error) {
      const name = error instanceof Error ? error.name : "";
      if (name === "CodeMismatchException") return null;
      if (name === "NotAuthorizedException" || name === "ExpiredCodeException") {
        // Cognito has ended this sign-in (expired session or too many tries): the code is void.
        await this.deps.challenges.consume(user.email, counted);
        return null;
      }
      throw fromCognitoError(error);
    }
    const result = out.AuthenticationResult;
    if (!result?.IdToken) throw new Error(`Cognito answered the code with ${out.ChallengeName ?? "no token"}`);
    await this.deps.challenges.consume(user.email, counted);
    const seconds = result.ExpiresIn ?? 3600;
    return { token: result.IdToken, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
  }

  /** A CONFIRMED Cognito user with a verified email and no usable password, created if missing. */
  private async ensureCognitoUser(user: User): Promise<void> {
    try {
      const found = await this.deps.client.send(new AdminGetUserCommand({ UserPoolId: this.deps.userPoolId, Username: user.email }));
      // A creation that stopped before its password was set leaves the user unable to use codes.
      if (found.UserStatus === "FORCE_CHANGE_PASSWORD") await this.confirmWithoutPassword(user.email);
      return;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== "UserNotFoundException") throw error;
    }
    try {
      await this.deps.client.send(
        new AdminCreateUserCommand({
          UserPoolId: this.deps.userPoolId,
          Username: user.email,
          // The directory's address is the agency's own record of the user: it needs no proof here.
          UserAttributes: [
            { Name: "email", Value: user.email },
            { Name: "email_verified", Value: "true" },
          ],
          // No invitation mail: the first message the user gets is the sign-in code.
          MessageAction: "SUPPRESS",
        }),
      );
      logger.info("Cognito user created", { userId: user.id });
    } catch (error) {
      // Created meanwhile by a parallel request; confirming it again below is harmless.
      if (!(error instanceof Error) || error.name !== "UsernameExistsException") throw error;
    }
    await this.confirmWithoutPassword(user.email);
  }

  /** CONFIRMED status with a random permanent password that is neither kept nor logged. */
  private async confirmWithoutPassword(email: string): Promise<void> {
    await this.deps.client.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: this.deps.userPoolId,
        Username: email,
        Password: unusablePassword(),
        Permanent: true,
      }),
    );
  }

  /** The session of the EMAIL_OTP challenge, choosing it when Cognito offers a selection. */
  private async emailOtpSession(email: string, started: InitiateAuthCommandOutput): Promise<string> {
    if (started.ChallengeName === "EMAIL_OTP" && started.Session) return started.Session;
    if (started.ChallengeName === "SELECT_CHALLENGE" && started.Session) {
      const chosen = await this.deps.client.send(
        new RespondToAuthChallengeCommand({
          ClientId: this.deps.clientId,
          ChallengeName: "SELECT_CHALLENGE",
          Session: started.Session,
          ChallengeResponses: { USERNAME: email, ANSWER: "EMAIL_OTP" },
        }),
      );
      if (chosen.ChallengeName === "EMAIL_OTP" && chosen.Session) return chosen.Session;
    }
    throw new Error(`Cognito did not offer the EMAIL_OTP challenge (got ${started.ChallengeName ?? "none"})`);
  }
}
