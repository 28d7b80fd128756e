import { setTimeout as sleep } from "node:timers/promises";
import { TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from "@aws-sdk/lib-dynamodb";

/**
 * One TransactWriteItems with named parts. A failed condition is reported by the names of the
 * parts whose conditions failed (`TransactionFailedError.tags`), so callers can tell a stale
 * version from a taken idempotency key; a collision with another transaction on the same item
 * (`TransactionConflict`, throttling) is retried with jittered backoff, since nothing was written.
 */

export type TxItem = NonNullable<TransactWriteCommandInput["TransactItems"]>[number];

export interface TaggedItem {
  tag: string;
  item: TxItem;
}

export class TransactionFailedError extends Error {
  constructor(
    readonly tags: string[],
    options?: { cause?: unknown },
  ) {
    super(`Transaction cancelled: condition failed on ${tags.join(", ")}`, options);
    this.name = "TransactionFailedError";
  }
}

const RETRYABLE_REASONS = new Set(["TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"]);
const RETRYABLE_ERRORS = new Set(["TransactionConflictException", "ThrottlingException", "ProvisionedThroughputExceededException", "TransactionInProgressException"]);

export interface TransactOptions {
  /** Attempts on transient collisions; defaults to 30. */
  attempts?: number;
}

/** Jittered exponential backoff: 5 ms doubling up to 200 ms, times a random factor. */
export function backoff(attempt: number): Promise<void> {
  const cap = Math.min(200, 5 * 2 ** attempt);
  return sleep(Math.floor(cap / 2 + Math.random() * cap));
}

export async function transactWrite(doc: DynamoDBDocumentClient, parts: TaggedItem[], options: TransactOptions = {}): Promise<void> {
  const attempts = options.attempts ?? 30;
  for (let attempt = 0; ; attempt++) {
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: parts.map((p) => p.item) }));
      return;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      if (error.name === "TransactionCanceledException") {
        const reasons = (error as Error & { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
        const failed = reasons.flatMap((r, i) => (r.Code === "ConditionalCheckFailed" ? [parts[i]?.tag ?? `#${i}`] : []));
        if (failed.length > 0) throw new TransactionFailedError(failed, { cause: error });
        const retryable = reasons.some((r) => r.Code !== undefined && RETRYABLE_REASONS.has(r.Code));
        if (!retryable || attempt + 1 >= attempts) throw error;
      } else if (!RETRYABLE_ERRORS.has(error.name) || attempt + 1 >= attempts) {
        throw error;
      }
      await backoff(attempt);
    }
  }
}
