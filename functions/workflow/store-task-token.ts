import { PutCommand } from "@aws-sdk/lib-dynamodb";
import * as z from "zod";
import { createClients } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { logger } from "../platform/logger";

/**
 * Invoked by the letter workflow's `waitForTaskToken` task: keeps the task token with the letter
 * so that the API can signal the workflow after applying a user's action.
 */
const config = loadConfig();
const clients = createClients(config);

const Input = z.object({
  agencyId: z.string().min(1),
  letterId: z.string().min(1),
  taskToken: z.string().min(1),
});

export const handler = async (event: unknown): Promise<{ stored: true }> => {
  const input = Input.parse(event);
  await clients.doc.send(
    new PutCommand({
      TableName: config.tables.letters,
      Item: {
        pk: `${input.agencyId}#LETTER#${input.letterId}`,
        sk: "WORKFLOW",
        taskToken: input.taskToken,
        storedAt: new Date().toISOString(),
      },
    }),
  );
  logger.info("workflow task token stored", { agencyId: input.agencyId, letterId: input.letterId });
  return { stored: true };
};
