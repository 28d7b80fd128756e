/**
 * Lambda triggers of the user pool. Pure data: the CDK app deploys them and the function build
 * bundles them, from this list.
 */
export const PRE_SIGN_UP_ENTRY = "functions/identity/pre-sign-up.ts";
export const IDENTITY_FUNCTIONS: readonly string[] = [PRE_SIGN_UP_ENTRY];
