import { fromEnv } from "@aws-sdk/credential-provider-env";

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles only (an esbuild alias,
 * see `lib/constructs/bundling.ts`). Lambda puts the execution role's credentials in the
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`), so the SDK's
 * full chain (SSO, INI files, web identity, IMDS, with their STS and SSO clients) is never used
 * there but weighs about 100 KB per bundle. The local runtime and the tests keep the full chain.
 */
export function defaultProvider(): ReturnType<typeof fromEnv> {
  return fromEnv();
}
