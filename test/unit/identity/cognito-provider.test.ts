import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminSetUserPasswordCommand,
  CodeDeliveryFailureException,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  LimitExceededException,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  TooManyFailedAttemptsException,
  TooManyRequestsException,
  UserNotFoundException,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { User } from "../../../functions/core/directory";
import { OTP_MAX_ATTEMPTS, OTP_TTL_MS } from "../../../functions/core/otp";
import { CognitoIdentityProvider } from "../../../functions/identity/cognito-provider";
import { AppError } from "../../../functions/platform/errors";
import { logger } from "../../../functions/platform/logger";
import { MemoryChallenges } from "./fakes";

const cognito = mockClient(CognitoIdentityProviderClient);
const T0 = new Date("2026-03-02T08:00:00.000Z");
const user: User = {
  id: "u1",
  agencyId: "a1",
  email: "amina@demo.go.tz",
  name: "Amina",
  departmentId: null,
  roles: ["officer"],
  supervisorId: null,
  language: "sw",
  active: true,
  createdAt: T0.toISOString(),
  updatedAt: T0.toISOString(),
};

let challenges: MemoryChallenges;
let provider: CognitoIdentityProvider;

beforeEach(() => {
  cognito.reset();
  challenges = new MemoryChallenges();
  provider = new CognitoIdentityProvider({
    client: new CognitoIdentityProviderClient({ region: "af-south-1" }),
    userPoolId: "af-south-1_pool",
    clientId: "client-1",
    challenges,
  });
});

describe("Cognito email one-time-code sign-in", () => {
  it("asks Cognito for an EMAIL_OTP challenge through USER_AUTH and keeps its session", async () => {
    // Prepare
    cognito.on(AdminGetUserCommand).resolves({ Username: user.email });
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    // Act
    await provider.sendCode(user, T0);
    // Assess
    expect(cognito.commandCalls(InitiateAuthCommand)[0]?.args[0].input).toEqual({
      ClientId: "client-1",
      AuthFlow: "USER_AUTH",
      AuthParameters: { USERNAME: user.email, PREFERRED_CHALLENGE: "EMAIL_OTP" },
    });
    expect(challenges.items.get(user.email)).toMatchObject({ session: "session-1", attempts: 0 });
    expect(cognito.commandCalls(SignUpCommand)).toHaveLength(0);
  });

  it("creates a missing directory user as an administrator: verified email, no invitation, confirmed with a password nobody knows", async () => {
    // Prepare
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "no user", $metadata: {} }));
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: "sub-1", UserStatus: "FORCE_CHANGE_PASSWORD" } });
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    const written: string[] = [];
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    logger.setLogLevel("DEBUG");
    // Act
    try {
      await provider.sendCode(user, T0);
    } finally {
      logger.setLogLevel("WARN");
      spy.mockRestore();
    }
    // Assess
    expect(cognito.commandCalls(SignUpCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]?.args[0].input).toEqual({
      UserPoolId: "af-south-1_pool",
      Username: user.email,
      UserAttributes: [
        { Name: "email", Value: user.email },
        { Name: "email_verified", Value: "true" },
      ],
      MessageAction: "SUPPRESS",
    });
    const setPassword = cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input;
    expect(setPassword).toMatchObject({ UserPoolId: "af-south-1_pool", Username: user.email, Permanent: true });
    const password = setPassword?.Password ?? "";
    expect(password.length).toBeGreaterThanOrEqual(40);
    expect(written.join("")).toContain("Cognito user created");
    expect(written.join("")).not.toContain(password);
    // The user is confirmed before the sign-in starts, so the code goes out on the first request.
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(1);
    expect(challenges.items.get(user.email)?.session).toBe("session-1");
  });

  it("gives every created user a different password", async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "no user", $metadata: {} }));
    cognito.on(AdminCreateUserCommand).resolves({});
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    await provider.sendCode(user, T0);
    await provider.sendCode({ ...user, id: "u2", email: "baraka@demo.go.tz" }, T0);
    const passwords = cognito.commandCalls(AdminSetUserPasswordCommand).map((call) => call.args[0].input.Password);
    expect(passwords).toHaveLength(2);
    expect(passwords[0]).not.toBe(passwords[1]);
  });

  it("confirms a user created meanwhile by a parallel request, and still sends the code", async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "no user", $metadata: {} }));
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: "exists", $metadata: {} }));
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    await expect(provider.sendCode(user, T0)).resolves.toBeUndefined();
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]?.args[0].input).toMatchObject({ Username: user.email, Permanent: true });
    expect(challenges.items.get(user.email)?.session).toBe("session-1");
  });

  it("finishes a creation that stopped before its password was set (FORCE_CHANGE_PASSWORD)", async () => {
    cognito.on(AdminGetUserCommand).resolves({ Username: "sub-1", UserStatus: "FORCE_CHANGE_PASSWORD" });
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    await provider.sendCode(user, T0);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(1);
  });

  it("leaves a confirmed user's account alone", async () => {
    cognito.on(AdminGetUserCommand).resolves({ Username: "sub-1", UserStatus: "CONFIRMED" });
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    await provider.sendCode(user, T0);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it("does not start a sign-in when the user cannot be created", async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "no user", $metadata: {} }));
    cognito.on(AdminCreateUserCommand).rejects(Object.assign(new Error("refused by trigger"), { name: "UserLambdaValidationException" }));
    await expect(provider.sendCode(user, T0)).rejects.toThrow(/refused by trigger/);
    expect(cognito.commandCalls(InitiateAuthCommand)).toHaveLength(0);
    expect(challenges.items.size).toBe(0);
  });

  it("chooses EMAIL_OTP when Cognito offers a selection", async () => {
    cognito.on(AdminGetUserCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "SELECT_CHALLENGE", Session: "select-1", AvailableChallenges: ["EMAIL_OTP"] });
    cognito.on(RespondToAuthChallengeCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-2" });
    await provider.sendCode(user, T0);
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input).toMatchObject({
      ChallengeName: "SELECT_CHALLENGE",
      ChallengeResponses: { USERNAME: user.email, ANSWER: "EMAIL_OTP" },
    });
    expect(challenges.items.get(user.email)?.session).toBe("session-2");
  });

  it("exchanges the right code for Cognito's ID token and uses the session once", async () => {
    await challenges.saveChallenge(user.email, { session: "session-1", issuedAt: T0.toISOString(), expiresAt: new Date(T0.getTime() + OTP_TTL_MS).toISOString(), attempts: 0 });
    cognito.on(RespondToAuthChallengeCommand).resolves({ AuthenticationResult: { IdToken: "id-token", AccessToken: "access", ExpiresIn: 3600 } });
    const issued = await provider.exchangeCode(user, "123456", T0);
    expect(issued).toEqual({ token: "id-token", expiresAt: new Date(T0.getTime() + 3600_000).toISOString() });
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)[0]?.args[0].input).toEqual({
      ClientId: "client-1",
      ChallengeName: "EMAIL_OTP",
      Session: "session-1",
      ChallengeResponses: { USERNAME: user.email, EMAIL_OTP_CODE: "123456" },
    });
    expect(challenges.items.has(user.email)).toBe(false);
  });

  it("answers a wrong code with null and keeps the challenge for another try", async () => {
    await challenges.saveChallenge(user.email, { session: "s", issuedAt: T0.toISOString(), expiresAt: new Date(T0.getTime() + OTP_TTL_MS).toISOString(), attempts: 0 });
    cognito.on(RespondToAuthChallengeCommand).rejects(new CodeMismatchException({ message: "wrong", $metadata: {} }));
    expect(await provider.exchangeCode(user, "000000", T0)).toBeNull();
    expect(challenges.items.get(user.email)?.attempts).toBe(1);
  });

  it("voids the challenge when Cognito ends the session", async () => {
    await challenges.saveChallenge(user.email, { session: "s", issuedAt: T0.toISOString(), expiresAt: new Date(T0.getTime() + OTP_TTL_MS).toISOString(), attempts: 0 });
    cognito.on(RespondToAuthChallengeCommand).rejects(new NotAuthorizedException({ message: "Invalid session", $metadata: {} }));
    expect(await provider.exchangeCode(user, "123456", T0)).toBeNull();
    expect(challenges.items.has(user.email)).toBe(false);
  });

  it(`does not ask Cognito after ${OTP_MAX_ATTEMPTS} wrong tries, nor after 10 minutes, nor without a challenge`, async () => {
    const expiresAt = new Date(T0.getTime() + OTP_TTL_MS).toISOString();
    await challenges.saveChallenge(user.email, { session: "s", issuedAt: T0.toISOString(), expiresAt, attempts: OTP_MAX_ATTEMPTS });
    expect(await provider.exchangeCode(user, "123456", T0)).toBeNull();
    await challenges.saveChallenge(user.email, { session: "s", issuedAt: T0.toISOString(), expiresAt, attempts: 0 });
    expect(await provider.exchangeCode(user, "123456", new Date(T0.getTime() + OTP_TTL_MS))).toBeNull();
    challenges.items.clear();
    expect(await provider.exchangeCode(user, "123456", T0)).toBeNull();
    expect(cognito.commandCalls(RespondToAuthChallengeCommand)).toHaveLength(0);
  });

  it("lets unexpected Cognito failures surface as errors", async () => {
    cognito.on(AdminGetUserCommand).resolves({});
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "PASSWORD" });
    await expect(provider.sendCode(user, T0)).rejects.toThrow(/EMAIL_OTP/);
    expect(challenges.items.size).toBe(0);
  });
});

describe("Cognito failures as API errors", () => {
  const throttles = [
    new TooManyRequestsException({ message: "slow down", $metadata: {} }),
    new LimitExceededException({ message: "limit", $metadata: {} }),
    new TooManyFailedAttemptsException({ message: "too many", $metadata: {} }),
  ];

  it.each(throttles.map((error) => [error.name, error] as const))("answers %s on a code request with 429 RATE_LIMITED", async (_name, error) => {
    cognito.on(AdminGetUserCommand).resolves({ UserStatus: "CONFIRMED" });
    cognito.on(InitiateAuthCommand).rejects(error);
    const failure = await provider.sendCode(user, T0).catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(challenges.items.size).toBe(0);
  });

  it("answers a throttled lookup of the user with 429 too", async () => {
    cognito.on(AdminGetUserCommand).rejects(new TooManyRequestsException({ message: "slow down", $metadata: {} }));
    await expect(provider.sendCode(user, T0)).rejects.toMatchObject({ code: "RATE_LIMITED", status: 429 });
  });

  it.each(throttles.map((error) => [error.name, error] as const))("answers %s on a code exchange with 429 and keeps the challenge", async (_name, error) => {
    await challenges.saveChallenge(user.email, { session: "s", issuedAt: T0.toISOString(), expiresAt: new Date(T0.getTime() + OTP_TTL_MS).toISOString(), attempts: 0 });
    cognito.on(RespondToAuthChallengeCommand).rejects(error);
    await expect(provider.exchangeCode(user, "123456", T0)).rejects.toMatchObject({ code: "RATE_LIMITED", status: 429 });
    expect(challenges.items.has(user.email)).toBe(true);
  });

  it("answers a code Cognito could not mail with 503 UNAVAILABLE", async () => {
    cognito.on(AdminGetUserCommand).resolves({ UserStatus: "CONFIRMED" });
    cognito.on(InitiateAuthCommand).rejects(new CodeDeliveryFailureException({ message: "SES said no", $metadata: {} }));
    const failure = await provider.sendCode(user, T0).catch((caught: unknown) => caught);
    expect(failure).toMatchObject({ code: "UNAVAILABLE", status: 503 });
    expect((failure as Error).message).not.toContain("SES said no");
  });

  it("answers a delivery failure after choosing EMAIL_OTP from a selection with 503 too", async () => {
    cognito.on(AdminGetUserCommand).resolves({ UserStatus: "CONFIRMED" });
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "SELECT_CHALLENGE", Session: "select-1" });
    cognito.on(RespondToAuthChallengeCommand).rejects(new CodeDeliveryFailureException({ message: "no", $metadata: {} }));
    await expect(provider.sendCode(user, T0)).rejects.toMatchObject({ code: "UNAVAILABLE", status: 503 });
  });

  it("leaves other Cognito failures as they are (an internal error)", async () => {
    cognito.on(AdminGetUserCommand).rejects(Object.assign(new Error("denied"), { name: "AccessDeniedException" }));
    const failure = await provider.sendCode(user, T0).catch((caught: unknown) => caught);
    expect(failure).not.toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ name: "AccessDeniedException" });
  });
});
