import { afterEach, describe, expect, it, vi } from "vitest";
import { defaultProvider } from "../../../functions/platform/lambda-credentials";

describe("Lambda credentials (the bundles' stand-in for the SDK's default chain)", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("reads the execution role's key, secret and session token from the environment", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "example-secret");
    vi.stubEnv("AWS_SESSION_TOKEN", "example-session");
    const credentials = await defaultProvider()();
    expect(credentials).toMatchObject({
      accessKeyId: "ASIAEXAMPLE",
      secretAccessKey: "example-secret",
      sessionToken: "example-session",
    });
  });

  it("fails with the SDK's credentials error when the environment has none", async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "");
    await expect(defaultProvider()()).rejects.toThrow(/environment/i);
  });
});
