import type { APIGatewayProxyEvent } from "aws-lambda";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import type { Principal } from "../core/permissions";
import { CognitoIdentityProvider } from "../identity/cognito-provider";
import { LocalIdentityProvider } from "../identity/local-provider";
import type { IdentityProvider } from "../identity/provider";
import { Authenticator, LocalTokenKeys, loadAuthSettings, tokenVerifierFor } from "../platform/auth";
import { createDynamoClients, createSesClient } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { ConflictError, ValidationError } from "../platform/errors";
import { DirectoryStore } from "../store/directory";
import { ClaimTakenError, InvalidCursorError } from "../store/errors";
import { OtpStore } from "../store/otp";

/**
 * What the route groups share, created once per module load (one Lambda container, or once in
 * the embedded runtime): configuration, clients, the directory, and the one token check that
 * every non-public route goes through (`httpHandler(routes, { authenticate })`).
 */
export const config = loadConfig();
export const clients = createDynamoClients(config);
export const directory = new DirectoryStore(clients.doc, config.tables.directory);
export const otpStore = new OtpStore(clients.doc, config.tables.directory);

const authSettings = loadAuthSettings();
const localKeys = authSettings.provider === "local" && authSettings.dataDir ? new LocalTokenKeys(authSettings.dataDir) : undefined;
export const authenticator = new Authenticator(tokenVerifierFor(authSettings, localKeys), directory);

/** The token check for `httpHandler`: the verified caller, read from the directory. */
export const authenticate = (event: APIGatewayProxyEvent): Promise<Principal> => authenticator.authenticate(event);

let provider: IdentityProvider | undefined;

/** The configured identity provider (created on first use: only the auth routes need it). */
export function identityProvider(): IdentityProvider {
  if (provider) return provider;
  if (authSettings.provider === "cognito" && authSettings.cognito) {
    provider = new CognitoIdentityProvider({
      client: new CognitoIdentityProviderClient({ region: config.region, maxAttempts: 2 }),
      userPoolId: authSettings.cognito.userPoolId,
      clientId: authSettings.cognito.clientId,
      challenges: otpStore,
    });
  } else if (localKeys) {
    provider = new LocalIdentityProvider({ challenges: otpStore, ses: createSesClient(config), mailFrom: config.mailFrom, keys: localKeys });
  } else {
    throw new Error("No identity provider is configured");
  }
  return provider;
}

const CLAIM_MESSAGES: Record<ClaimTakenError["claim"], string> = {
  agencyCode: "An agency with this code exists already",
  domain: "This email domain belongs to another agency",
  email: "A user with this email address exists already",
  departmentCode: "A department with this code exists already",
  record: "This record exists already",
};

/** Store errors as HTTP errors: a taken claim is 409, a foreign or tampered cursor 400. */
export function mapStoreError(error: unknown): unknown {
  if (error instanceof ClaimTakenError) {
    return new ConflictError(CLAIM_MESSAGES[error.claim], { details: { field: error.claim, value: error.value }, cause: error });
  }
  if (error instanceof InvalidCursorError) {
    return new ValidationError("Invalid query: cursor: not a cursor of this list", [{ path: "cursor", message: error.message }]);
  }
  return error;
}
