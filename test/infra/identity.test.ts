import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { resourcesOfType, synthesize, SYNTH_TIMEOUT_MS } from "./support/synth";

let api: Template;

beforeAll(() => {
  const synth = synthesize();
  api = synth.template(synth.cells[0]!.api);
}, SYNTH_TIMEOUT_MS);

describe("login with the government email (Cognito)", () => {
  it("has a user pool that allows the email one-time code as first factor, on the Essentials plan", () => {
    api.hasResourceProperties("AWS::Cognito::UserPool", {
      UserPoolTier: "ESSENTIALS",
      UsernameAttributes: ["email"],
      MfaConfiguration: "OFF",
      Policies: { SignInPolicy: { AllowedFirstAuthFactors: Match.arrayWith(["EMAIL_OTP"]) } },
      DeletionProtection: "ACTIVE",
      EmailConfiguration: Match.objectLike({ EmailSendingAccount: "DEVELOPER" }),
    });
  });

  it("lets nobody sign up by themselves or reset a password by mail: users are created by the auth routes only", () => {
    api.hasResourceProperties("AWS::Cognito::UserPool", {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      AccountRecoverySetting: { RecoveryMechanisms: [{ Name: "admin_only", Priority: 1 }] },
    });
  });

  it("runs the pre-sign-up trigger that admits only agency domains, with read access to the directory only", () => {
    const pools = Object.values(resourcesOfType(api, "AWS::Cognito::UserPool"));
    expect(pools).toHaveLength(1);
    const trigger = (pools[0]!.Properties?.LambdaConfig as { PreSignUp?: unknown } | undefined)?.PreSignUp;
    expect(trigger).toBeDefined();
    const triggerId = (trigger as { "Fn::GetAtt": [string, string] })["Fn::GetAtt"][0];
    const fn = resourcesOfType(api, "AWS::Lambda::Function")[triggerId];
    expect(fn?.Properties).toMatchObject({
      Runtime: "nodejs22.x",
      Architectures: ["arm64"],
      TracingConfig: { Mode: "Active" },
      Environment: { Variables: { DIRECTORY_TABLE: expect.anything() } },
    });
    const policies = Object.values(resourcesOfType(api, "AWS::IAM::Policy")).filter((p) =>
      JSON.stringify(p.Properties?.Roles).includes(triggerId.replace(/[A-F0-9]{8}$/, "")),
    );
    const actions = JSON.stringify(policies.map((p) => p.Properties?.PolicyDocument));
    expect(actions).toContain("dynamodb:GetItem");
    expect(actions).not.toContain("dynamodb:PutItem");
  });

  it("has an app client for the USER_AUTH flow, without a secret, hiding whether a user exists", () => {
    api.hasResourceProperties("AWS::Cognito::UserPoolClient", {
      ExplicitAuthFlows: Match.arrayWith(["ALLOW_USER_AUTH"]),
      GenerateSecret: false,
      PreventUserExistenceErrors: "ENABLED",
      AuthSessionValidity: 10,
    });
  });

  it("gives every route function the pool and client ids, and only the auth function the user administration it needs", () => {
    const fns = Object.values(resourcesOfType(api, "AWS::Lambda::Function")).filter(
      (fn) => (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables?.STATE_MACHINE_ARN,
    );
    expect(fns.length).toBeGreaterThan(0);
    for (const fn of fns) {
      expect(fn.Properties?.Environment).toMatchObject({
        Variables: { AUTH_PROVIDER: "cognito", COGNITO_USER_POOL_ID: expect.anything(), COGNITO_CLIENT_ID: expect.anything() },
      });
    }
    const cognitoStatements = Object.entries(resourcesOfType(api, "AWS::IAM::Policy")).flatMap(([, policy]) =>
      (policy.Properties?.PolicyDocument as { Statement: { Action: string | string[]; Resource: unknown }[] }).Statement.filter((s) =>
        JSON.stringify(s.Action).includes("cognito-idp:"),
      ).map((statement) => ({ roles: JSON.stringify(policy.Properties?.Roles), statement })),
    );
    expect(cognitoStatements).toHaveLength(1);
    const [{ roles, statement }] = cognitoStatements as [(typeof cognitoStatements)[number]];
    expect(roles).toMatch(/AuthHandler/);
    // Look up, create and confirm a user without a usable password; SignUp is no longer used.
    expect([statement.Action].flat().sort()).toEqual([
      "cognito-idp:AdminCreateUser",
      "cognito-idp:AdminGetUser",
      "cognito-idp:AdminSetUserPassword",
    ]);
    const poolId = Object.keys(resourcesOfType(api, "AWS::Cognito::UserPool"))[0]!;
    expect(statement.Resource).toEqual({ "Fn::GetAtt": [poolId, "Arn"] });
  });
});
