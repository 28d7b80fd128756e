import type { PreSignUpTriggerEvent } from "aws-lambda";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type * as PreSignUp from "../../../functions/identity/pre-sign-up";

let createPreSignUpHandler: typeof PreSignUp.createPreSignUpHandler;

beforeAll(async () => {
  // The module reads its configuration when it loads, as it does in Lambda.
  vi.stubEnv("DIRECTORY_TABLE", "Directory");
  ({ createPreSignUpHandler } = await import("../../../functions/identity/pre-sign-up"));
});

const owned: Record<string, string> = { "demo.go.tz": "agency-demo" };
const directory = { agencyIdForDomain: async (domain: string) => owned[domain] };

function event(email: string, triggerSource: PreSignUpTriggerEvent["triggerSource"] = "PreSignUp_SignUp"): PreSignUpTriggerEvent {
  return {
    version: "1",
    region: "af-south-1",
    userPoolId: "af-south-1_pool",
    userName: email,
    callerContext: { awsSdkVersion: "3", clientId: "client-1" },
    triggerSource,
    request: { userAttributes: { email } },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  };
}

describe("pre-sign-up trigger", () => {
  it("admits an address of a domain an agency owns, confirmed with a verified email", async () => {
    const handler = createPreSignUpHandler(directory);
    const out = await handler(event("Amina@Demo.go.tz"));
    expect(out.response).toMatchObject({ autoConfirmUser: true, autoVerifyEmail: true });
  });

  it.each(["eve@gmail.com", "eve@sub.demo.go.tz", "not-an-email", ""])("refuses %s", async (email) => {
    const handler = createPreSignUpHandler(directory);
    await expect(handler(event(email))).rejects.toThrow(/DOMAIN_NOT_ALLOWED/);
  });

  it("checks addresses created by an administrator too", async () => {
    const handler = createPreSignUpHandler(directory);
    await expect(handler(event("eve@gmail.com", "PreSignUp_AdminCreateUser"))).rejects.toThrow(/DOMAIN_NOT_ALLOWED/);
    await expect(handler(event("amina@demo.go.tz", "PreSignUp_AdminCreateUser"))).resolves.toBeDefined();
  });
});
