import {
  AdminGetUserCommand,
  CodeMismatchException,
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  NotAuthorizedException,
  RespondToAuthChallengeCommand,
  SignUpCommand,
  UserNotFoundException,
  UsernameExistsException,
} from "@aws-sdk/client-cognito-identity-provider";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import type { User } from "../../../functions/core/directory";
import { OTP_MAX_ATTEMPTS, OTP_TTL_MS } from "../../../functions/core/otp";
import { CognitoIdentityProvider } from "../../../functions/identity/cognito-provider";
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

  it("signs a directory user up (without a password) on first sign-in", async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "no user", $metadata: {} }));
    cognito.on(SignUpCommand).resolves({ UserConfirmed: true, UserSub: "sub-1" });
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    await provider.sendCode(user, T0);
    const signUp = cognito.commandCalls(SignUpCommand)[0]?.args[0].input;
    expect(signUp).toMatchObject({ ClientId: "client-1", Username: user.email, UserAttributes: [{ Name: "email", Value: user.email }] });
    expect(signUp?.Password).toBeUndefined();
  });

  it("tolerates a user created meanwhile by a parallel request", async () => {
    cognito.on(AdminGetUserCommand).rejects(new UserNotFoundException({ message: "no user", $metadata: {} }));
    cognito.on(SignUpCommand).rejects(new UsernameExistsException({ message: "exists", $metadata: {} }));
    cognito.on(InitiateAuthCommand).resolves({ ChallengeName: "EMAIL_OTP", Session: "session-1" });
    await expect(provider.sendCode(user, T0)).resolves.toBeUndefined();
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
