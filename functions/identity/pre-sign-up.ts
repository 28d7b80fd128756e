import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { PreSignUpTriggerEvent } from "aws-lambda";
import { emailDomain } from "../core/directory";
import { EmailSchema } from "../core/directory-schemas";
import { requireEnv } from "../platform/config";
import { logger } from "../platform/logger";
import { DirectoryStore } from "../store/directory";

/**
 * Cognito pre-sign-up trigger: admits only addresses whose domain an agency owns (the Directory's
 * `DOMAIN#` claim), and confirms them with a verified email, since the address is then proven by
 * the one-time code itself. Anything else is refused, so the user pool holds no outside address.
 */
export function createPreSignUpHandler(directory: Pick<DirectoryStore, "agencyIdForDomain">) {
  return async (event: PreSignUpTriggerEvent): Promise<PreSignUpTriggerEvent> => {
    const parsed = EmailSchema.safeParse(event.request.userAttributes.email ?? event.userName);
    const agencyId = parsed.success ? await directory.agencyIdForDomain(emailDomain(parsed.data)) : undefined;
    if (!agencyId) {
      logger.info("sign-up refused: domain not owned by an agency", { triggerSource: event.triggerSource });
      throw new Error("DOMAIN_NOT_ALLOWED: sign in with the official email address of your agency");
    }
    if (event.triggerSource === "PreSignUp_SignUp") {
      event.response.autoConfirmUser = true;
      event.response.autoVerifyEmail = true;
    }
    logger.info("sign-up admitted", { agencyId, triggerSource: event.triggerSource });
    return event;
  };
}

const region = requireEnv("AWS_REGION");
const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region }));

export const handler = createPreSignUpHandler(new DirectoryStore(doc, requireEnv("DIRECTORY_TABLE")));
