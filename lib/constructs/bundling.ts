/**
 * esbuild settings shared by the CDK functions and `scripts/build-functions.ts`, so the bundle
 * that is measured is the bundle that is deployed.
 */
export const ESBUILD_TARGET = "node22";

/**
 * ESM bundles that contain CommonJS (parts of the AWS SDK, middy dependencies) call `require`,
 * which does not exist in an ES module: give them one.
 */
export const CREATE_REQUIRE_BANNER =
  "import { createRequire as __ofisiCreateRequire } from 'node:module'; const require = __ofisiCreateRequire(import.meta.url);";

/**
 * Packages replaced in the Lambda bundles, as paths relative to the project root (the folder
 * esbuild runs in, for `npm run build` and for the CDK alike). Lambda gives a function its
 * credentials in the environment, so the SDK's default credential chain is replaced by the
 * environment provider alone (see `functions/platform/lambda-credentials.ts`).
 */
export const ESBUILD_ALIASES: Readonly<Record<string, string>> = {
  "@aws-sdk/credential-provider-node": "./functions/platform/lambda-credentials.ts",
};
