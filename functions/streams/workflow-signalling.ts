import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import * as z from "zod";
import { LETTER_ACTIONS, type LetterAction } from "../core/letters";
import { logger } from "../platform/logger";
import type { LetterWorkflowSignals } from "../store/letter-workflow";

/**
 * The workflow's catch-up from the Letters stream (DESIGN.md section 5). The API signals the
 * workflow right after each action, but that call may fail (the engine is down or slow) and is
 * then only logged. Every action also writes one history event item, so each `EVENT#` INSERT is
 * replayed here: a registration starts the execution, any other user action answers the waiting
 * task if the workflow has not planned for that version yet. Both are no-ops when already done.
 * A failed call fails the record, and the event source mapping retries from it (partial batch
 * response) until the engine answers. The workflow's own events (overdue mark, reminder,
 * escalation) need no signal.
 */

const LETTER_PK = /^AGENCY#([^#]+)#LETTER#([^#]+)$/;

const EventImage = z.object({
  sk: z.object({ S: z.string().startsWith("EVENT#") }),
  action: z.object({ S: z.string() }),
  version: z.object({ N: z.string().regex(/^\d+$/) }),
});

export interface WorkflowSignal {
  agencyId: string;
  letterId: string;
  action: "register" | LetterAction;
  version: number;
}

const SIGNALLED: ReadonlySet<string> = new Set<string>(["register", ...LETTER_ACTIONS]);

/** The signal a stream record calls for, or null (other items, updates, the workflow's own events). */
export function signalOf(record: DynamoDBRecord): WorkflowSignal | null {
  if (record.eventName !== "INSERT") return null;
  const match = LETTER_PK.exec(record.dynamodb?.Keys?.pk?.S ?? "");
  const image = EventImage.safeParse(record.dynamodb?.NewImage);
  if (!match || !image.success || !SIGNALLED.has(image.data.action.S)) return null;
  return {
    agencyId: match[1] ?? "",
    letterId: match[2] ?? "",
    action: image.data.action.S as WorkflowSignal["action"],
    version: Number(image.data.version.N),
  };
}

export function createWorkflowSignaller(signals: LetterWorkflowSignals) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    // In order: a letter's start comes before its signals, and the first failure stops the batch.
    for (const record of event.Records) {
      const signal = signalOf(record);
      if (!signal) continue;
      try {
        if (signal.action === "register") await signals.start(signal.agencyId, signal.letterId);
        else await signals.signal(signal.agencyId, signal.letterId, { action: signal.action, version: signal.version });
      } catch (error) {
        logger.warn("workflow not reached; the stream retries from this record", {
          agencyId: signal.agencyId,
          letterId: signal.letterId,
          action: signal.action,
          version: signal.version,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
