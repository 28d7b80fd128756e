import {
  AdminGetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  type CognitoIdentityProviderClient,
  type InitiateAuthCommandOutput,
} from "@aws-sdk/client-cognito-identity-provider";
import type { User } from "../core/directory";
import { remoteChallenge, tryVerdict } from "../core/otp";
import type { IssuedToken } from "../platform/auth";
import { logger } from "../platform/logger";
import type { ChallengeStore, IdentityProvider } from "./provider";

/**
 * The cloud identity provider: Cognito's email one-time-code sign-in (choice-based `USER_AUTH`
 * with `EMAIL_OTP`). Cognito generates and mails the code; we keep its session between the two
 * steps in the Directory table, together with our own limits (10 minutes, 5 tries), which apply
 * on top of Cognito's. A directory user who has no Cognito user yet is signed up without a
 * password on first sign-in; the pre-sign-up trigger admits only agency domains and confirms them.
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
    logger.info("sign-in code requested from Cognito", { userId: user.id, agencyId: user.agencyId });
  }

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
      throw error;
    }
    const result = out.AuthenticationResult;
    if (!result?.IdToken) throw new Error(`Cognito answered the code with ${out.ChallengeName ?? "no token"}`);
    await this.deps.challenges.consume(user.email, counted);
    const seconds = result.ExpiresIn ?? 3600;
    return { token: result.IdToken, expiresAt: new Date(now.getTime() + seconds * 1000).toISOString() };
  }

  private async ensureCognitoUser(user: User): Promise<void> {
    try {
      await this.deps.client.send(new AdminGetUserCommand({ UserPoolId: this.deps.userPoolId, Username: user.email }));
      return;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== "UserNotFoundException") throw error;
    }
    try {
      await this.deps.client.send(
        new SignUpCommand({
          ClientId: this.deps.clientId,
          Username: user.email,
          UserAttributes: [{ Name: "email", Value: user.email }],
        }),
      );
      logger.info("Cognito user created", { userId: user.id });
    } catch (error) {
      // Created meanwhile by a parallel request: that is what we wanted.
      if (!(error instanceof Error) || error.name !== "UsernameExistsException") throw error;
    }
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
