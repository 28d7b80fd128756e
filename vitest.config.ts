import { defineConfig } from "vitest/config";

// Fake credentials and a region for every test process, so no SDK client ever looks for real ones
// (which would mean calls to addresses outside this machine).
const env = {
  AWS_REGION: "af-south-1",
  AWS_ACCESS_KEY_ID: "S3RVER",
  AWS_SECRET_ACCESS_KEY: "S3RVER",
  AWS_EC2_METADATA_DISABLED: "true",
  POWERTOOLS_LOG_LEVEL: "WARN",
  CDK_DISABLE_CLI_TELEMETRY: "true",
};

export default defineConfig({
  test: {
    env,
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          globalSetup: ["test/integration/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      { test: { name: "infra", include: ["test/infra/**/*.test.ts"], testTimeout: 120_000 } },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
