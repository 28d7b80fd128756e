import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { emailDomain } from "../core/directory";
import { EmailSchema } from "../core/directory-schemas";
import { requireEnv } from "../platform/config";
import { logger } from "../platform/logger";
import { DirectoryStore } from "../store/directory";

/**
 * Cognito pre-sign-up trigger. Users are created only by the auth routes (`AdminCreateUser`, self
 * sign-up is off), for directory users, with a verified email and then a password nobody knows.
 * This trigger is the pool's own last check: it admits only addresses whose domain an agency owns
 * (the Directory's `DOMAIN#` claim) and refuses any other way in (self sign-up, federation), so
 * the pool holds no outside address even if a setting or a caller goes wrong. It never confirms
 * or verifies anyone itself: auto-confirming a self sign-up let anyone claim a colleague's address.
 */
export function createPreSignUpHandler(directory: Pick<DirectoryStore, "agencyIdForDomain">) {
  return async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
    if (event.triggerSource !== "PreSignUp_AdminCreateUser") {
      logger.warn("sign-up refused: users are created by the application only", { triggerSource: event.triggerSource });
      throw new Error("SIGN_UP_NOT_ALLOWED: accounts are created by the application");
    }
    const parsed = EmailSchema.safeParse(event.request.userAttributes.email ?? event.userName);
    const agencyId = parsed.success ? await directory.agencyIdForDomain(emailDomain(parsed.data)) : undefined;
    if (!agencyId) {
      logger.info("sign-up refused: domain not owned by an agency", { triggerSource: event.triggerSource });
      throw new Error("DOMAIN_NOT_ALLOWED: sign in with the official email address of your agency");
    }
    event.response.autoConfirmUser = false;
    event.response.autoVerifyEmail = false;
    logger.info("sign-up admitted", { agencyId, triggerSource: event.triggerSource });
    return event;
  };
}

const region = requireEnv("AWS_REGION");
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region }));

export const handler = createPreSignUpHandler(new DirectoryStore(doc, requireEnv("DIRECTORY_TABLE")));
