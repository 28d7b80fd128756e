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

function event(email: string, triggerSource: PreSignUpTriggerEvent["triggerSource"] = "PreSignUp_AdminCreateUser"): PreSignUpTriggerEvent {
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
  it("admits a user the auth routes create for an address of a domain an agency owns", async () => {
    const handler = createPreSignUpHandler(directory);
    const out = await handler(event("Amina@Demo.go.tz"));
    expect(out.userName).toBe("Amina@Demo.go.tz");
    // Confirmation and the verified email come from the creating call itself, never from here.
    expect(out.response).toEqual({ autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false });
  });

  it.each(["eve@gmail.com", "eve@sub.demo.go.tz", "not-an-email", ""])("refuses to create %s", async (email) => {
    const handler = createPreSignUpHandler(directory);
    await expect(handler(event(email))).rejects.toThrow(/DOMAIN_NOT_ALLOWED/);
  });

  it("refuses a self sign-up even for an agency address, so nobody can claim a colleague's account", async () => {
    const lookups: string[] = [];
    const handler = createPreSignUpHandler({
      agencyIdForDomain: async (domain) => {
        lookups.push(domain);
        return owned[domain];
      },
    });
    await expect(handler(event("victim@demo.go.tz", "PreSignUp_SignUp"))).rejects.toThrow(/SIGN_UP_NOT_ALLOWED/);
    await expect(handler(event("victim@demo.go.tz", "PreSignUp_ExternalProvider"))).rejects.toThrow(/SIGN_UP_NOT_ALLOWED/);
    expect(lookups).toEqual([]);
  });
});
