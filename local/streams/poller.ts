import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import {
  DescribeStreamCommand,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ResourceNotFoundException,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type Shard,
} from "@aws-sdk/client-dynamodb-streams";
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import * as z from "zod";
import { logger as platformLogger } from "../../functions/platform/logger";
import { latestStreamArn } from "../tables";
import { CheckpointStore, type ShardCheckpoint } from "./checkpoints";
import { toLambdaRecord } from "./event";

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse | void>;

export interface StreamConsumer {
  /** Names the consumer's checkpoints; two consumers of one table keep separate positions, like two event source mappings. */
  name: string;
  tableName: string;
  handler: StreamHandler;
  /** Records per handler call, at most 1000 (the GetRecords limit). Default 100. */
  batchSize?: number;
}

/** What the poller needs of a logger; the Powertools logger fits. */
export interface RuntimeLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export type OnFailureDestination = (consumer: string, records: DynamoDBRecord[], error: unknown) => Promise<void>;

export interface StreamPollerOptions {
  dynamo: DynamoDBClient;
  streams: DynamoDBStreamsClient;
  /** Table holding checkpoints (and failed batches when no `onFailure` is given); created if missing. */
  checkpointTable: string;
  consumers: StreamConsumer[];
  /** Pause between polls of a consumer that found nothing new. Default 300 ms. */
  pollIntervalMs?: number;
  /** Handler calls per batch before the batch goes to the on-failure destination. Default 5. */
  maxAttempts?: number;
  /** First pause between attempts; it doubles per attempt up to 30 s. Default 500 ms. */
  retryBackoffMs?: number;
  /** How often the shard list is read again to find new shards. Default 5 s (and whenever a shard ends). */
  shardRefreshMs?: number;
  /** On-failure destination. Without it, failed batches are kept in the checkpoint table (see `listFailedBatches`). */
  onFailure?: OnFailureDestination;
  logger?: RuntimeLogger;
}

export interface StreamPoller {
  stop(): Promise<void>;
  /** Resolves once every consumer has read all its shards up to the end and has nothing left to retry. */
  idle(): Promise<void>;
}

const DEFAULT_BATCH_SIZE = 100;
const MAX_BACKOFF_MS = 30_000;

// Lambda's partial batch response; anything else counts as a whole-batch failure (see `firstFailedIndex`).
const batchResponse = z
  .object({
    batchItemFailures: z
      .array(z.object({ itemIdentifier: z.string().nullish() }).nullable())
      .nullish(),
  })
  .nullish();

class PartialBatchFailure extends Error {
  constructor(count: number) {
    super(`The handler reported ${count} failed record(s)`);
    this.name = "PartialBatchFailure";
  }
}

interface ShardState {
  id: string;
  parentId?: string;
  iterator?: string;
  checkpoint: ShardCheckpoint;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Reads DynamoDB (Local) streams and calls stream handlers the way Lambda's event source mapping
 * does: batches in shard order, at-least-once delivery, partial batch responses, retries with
 * backoff, an on-failure destination after the last attempt, and checkpoints kept in DynamoDB so
 * that a restart continues where the previous run stopped.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const names = new Set<string>();
  for (const consumer of options.consumers) {
    if (names.has(consumer.name)) throw new Error(`Two stream consumers are named "${consumer.name}"`);
    names.add(consumer.name);
    const size = consumer.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > 1000) {
      throw new Error(`Stream consumer "${consumer.name}": batchSize must be an integer from 1 to 1000`);
    }
  }
  const store = new CheckpointStore(options.dynamo, options.checkpointTable);
  await store.ensure();
  const loops = options.consumers.map((consumer) => new ConsumerLoop(consumer, options, store));
  // Fail at start when a table has no stream: that is a configuration error, not a transient one.
  await Promise.all(loops.map((loop) => loop.resolveStream()));
  const running = loops.map((loop) => loop.run());
  return {
    async stop() {
      for (const loop of loops) loop.stop();
      await Promise.all(running);
    },
    async idle() {
      await Promise.all(loops.map((loop) => loop.idle()));
    },
  };
}

/** Failed batches kept by the default on-failure destination, oldest first. */
export async function listFailedBatches(dynamo: DynamoDBClient, checkpointTable: string, consumer: string) {
  return new CheckpointStore(dynamo, checkpointTable).listFailed(consumer);
}

class ConsumerLoop {
  private readonly log: RuntimeLogger;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly retryBackoffMs: number;
  private readonly shardRefreshMs: number;
  private streamArn: string | undefined;
  private checkpoints = new Map<string, ShardCheckpoint>();
  private shards = new Map<string, ShardState>();
  private describedAt = 0;
  private stopped = false;
  private passesStarted = 0;
  private idleWaiters: { minPass: number; resolve: () => void }[] = [];
  /** Pending sleeps; `idle()` cuts short only the pause between polls, never a retry backoff. */
  private sleepers = new Set<{ wake: () => void; betweenPolls: boolean }>();

  constructor(
    private readonly consumer: StreamConsumer,
    private readonly options: StreamPollerOptions,
    private readonly store: CheckpointStore,
  ) {
    this.log = options.logger ?? platformLogger;
    this.batchSize = consumer.batchSize ?? DEFAULT_BATCH_SIZE;
    this.pollIntervalMs = options.pollIntervalMs ?? 300;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 5);
    this.retryBackoffMs = options.retryBackoffMs ?? 500;
    this.shardRefreshMs = options.shardRefreshMs ?? 5_000;
  }

  async resolveStream(): Promise<void> {
    const arn = await latestStreamArn(this.options.dynamo, this.consumer.tableName);
    if (!arn) throw new Error(`Table ${this.consumer.tableName} has no stream, so consumer "${this.consumer.name}" cannot read it`);
    this.streamArn = arn;
    this.checkpoints = await this.store.load(this.consumer.name, arn);
    this.shards.clear();
    this.describedAt = 0;
  }

  async run(): Promise<void> {
    while (!this.stopped) {
      const pass = ++this.passesStarted;
      let progressed = false;
      let failed = false;
      try {
        progressed = await this.pass();
      } catch (error) {
        failed = true;
        this.log.error("Stream poll failed; it resumes from the last checkpoint", {
          consumer: this.consumer.name,
          error: messageOf(error),
        });
        // Iterators may have moved past records whose checkpoint was not written: start again from the checkpoints.
        for (const shard of this.shards.values()) shard.iterator = undefined;
      }
      if (!progressed && !failed) this.settleIdleWaiters(pass);
      if (!progressed) await this.sleep(this.pollIntervalMs, true);
    }
    this.settleIdleWaiters(Number.POSITIVE_INFINITY);
  }

  stop(): void {
    this.stopped = true;
    for (const sleeper of [...this.sleepers]) sleeper.wake();
  }

  idle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const minPass = this.passesStarted + 1;
    const done = new Promise<void>((resolve) => this.idleWaiters.push({ minPass, resolve }));
    for (const sleeper of [...this.sleepers]) if (sleeper.betweenPolls) sleeper.wake();
    return done;
  }

  private settleIdleWaiters(pass: number): void {
    const waiting: typeof this.idleWaiters = [];
    for (const waiter of this.idleWaiters) {
      if (this.stopped || waiter.minPass <= pass) waiter.resolve();
      else waiting.push(waiter);
    }
    this.idleWaiters = waiting;
  }

  private sleep(ms: number, betweenPolls: boolean): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = {
        betweenPolls,
        wake: () => {
          clearTimeout(timer);
          this.sleepers.delete(sleeper);
          resolve();
        },
      };
      const timer = setTimeout(sleeper.wake, ms);
      this.sleepers.add(sleeper);
    });
  }

  /** One round over the shards that may be read now; true when it handled records or finished a shard. */
  private async pass(): Promise<boolean> {
    if (!this.streamArn) await this.resolveStream();
    if (Date.now() - this.describedAt >= this.shardRefreshMs) await this.describe();
    let progressed = false;
    for (const shard of this.readableShards()) {
      if (this.stopped) break;
      if (await this.pollShard(shard)) progressed = true;
    }
    return progressed;
  }

  private async describe(): Promise<void> {
    const streamArn = this.requireStreamArn();
    const listed: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.options.streams.send(
        new DescribeStreamCommand({ StreamArn: streamArn, ExclusiveStartShardId: start }),
      );
      listed.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start);
    const present = new Set<string>();
    for (const shard of listed) {
      if (!shard.ShardId) continue;
      present.add(shard.ShardId);
      if (this.shards.has(shard.ShardId)) continue;
      this.shards.set(shard.ShardId, {
        id: shard.ShardId,
        parentId: shard.ParentShardId,
        checkpoint: this.checkpoints.get(shard.ShardId) ?? { shardId: shard.ShardId, finished: false },
      });
    }
    // Shards trimmed from the stream have nothing left to read.
    for (const id of [...this.shards.keys()]) if (!present.has(id)) this.shards.delete(id);
    this.describedAt = Date.now();
  }

  /** Unfinished shards whose parent is finished or gone, so that a key's records stay in order across a shard split. */
  private readableShards(): ShardState[] {
    return [...this.shards.values()].filter((shard) => {
      if (shard.checkpoint.finished) return false;
      const parent = shard.parentId ? this.shards.get(shard.parentId) : undefined;
      return !parent || parent.checkpoint.finished;
    });
  }

  private requireStreamArn(): string {
    if (!this.streamArn) throw new Error(`No stream resolved for consumer "${this.consumer.name}"`);
    return this.streamArn;
  }

  private async pollShard(shard: ShardState): Promise<boolean> {
    const streamArn = this.requireStreamArn();
    if (!shard.iterator) {
      shard.iterator = await this.iteratorFor(shard);
      if (!shard.iterator) {
        await this.finishShard(shard);
        return true;
      }
    }
    let out;
    try {
      out = await this.options.streams.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: this.batchSize }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException || error instanceof TrimmedDataAccessException) {
        shard.iterator = undefined;
        return true;
      }
      if (error instanceof ResourceNotFoundException) {
        // The table was probably recreated with a new stream: find it again.
        this.log.warn("Stream not found; looking it up again", { consumer: this.consumer.name, streamArn });
        this.streamArn = undefined;
        return false;
      }
      throw error;
    }
    const region = (await this.options.streams.config.region()) ?? "local";
    const records = (out.Records ?? []).map((record) => toLambdaRecord(record, streamArn, region));
    shard.iterator = out.NextShardIterator;
    if (records.length > 0) {
      const delivered = await this.deliver(shard, records);
      if (!delivered) return false;
    }
    if (!out.NextShardIterator) {
      await this.finishShard(shard);
      return true;
    }
    return records.length > 0;
  }

  private async iteratorFor(shard: ShardState): Promise<string | undefined> {
    const streamArn = this.requireStreamArn();
    const after = shard.checkpoint.sequenceNumber;
    try {
      const out = await this.options.streams.send(
        new GetShardIteratorCommand(
          after
            ? { StreamArn: streamArn, ShardId: shard.id, ShardIteratorType: "AFTER_SEQUENCE_NUMBER", SequenceNumber: after }
            : { StreamArn: streamArn, ShardId: shard.id, ShardIteratorType: "TRIM_HORIZON" },
        ),
      );
      return out.ShardIterator;
    } catch (error) {
      if (error instanceof TrimmedDataAccessException && after) {
        // The stream no longer holds the checkpoint (records live 24 hours): read what is still there.
        this.log.warn("Checkpoint is older than the stream's retention; reading from the oldest record", {
          consumer: this.consumer.name,
          shardId: shard.id,
        });
        shard.checkpoint = { ...shard.checkpoint, sequenceNumber: undefined };
        return this.iteratorFor(shard);
      }
      if (error instanceof ResourceNotFoundException) return undefined;
      throw error;
    }
  }

  private async finishShard(shard: ShardState): Promise<void> {
    shard.checkpoint = { ...shard.checkpoint, finished: true };
    shard.iterator = undefined;
    await this.store.save(this.consumer.name, this.requireStreamArn(), shard.checkpoint);
    // A closed shard has children: look for them now rather than at the next refresh.
    this.describedAt = 0;
  }

  private async checkpoint(shard: ShardState, record: DynamoDBRecord | undefined): Promise<void> {
    const sequenceNumber = record?.dynamodb?.SequenceNumber;
    if (!sequenceNumber) return;
    const next = { ...shard.checkpoint, sequenceNumber };
    await this.store.save(this.consumer.name, this.requireStreamArn(), next);
    shard.checkpoint = next;
  }

  /**
   * Calls the handler until the batch succeeds or runs out of attempts. Returns false when the
   * poller stopped first (the remaining records are read again after a restart).
   */
  private async deliver(shard: ShardState, records: DynamoDBRecord[]): Promise<boolean> {
    let batch = records;
    let attempts = 0;
    for (;;) {
      if (this.stopped) return false;
      let failedAt: number;
      let error: unknown;
      try {
        const response = await this.consumer.handler({ Records: batch });
        failedAt = firstFailedIndex(batch, response);
        if (failedAt >= 0) error = new PartialBatchFailure(batch.length - failedAt);
      } catch (thrown) {
        failedAt = 0;
        error = thrown;
      }
      if (failedAt < 0) {
        await this.checkpoint(shard, batch.at(-1));
        return true;
      }
      if (failedAt > 0) {
        // Records before the first failure are done, like Lambda's checkpoint on a partial batch response.
        await this.checkpoint(shard, batch[failedAt - 1]);
        batch = batch.slice(failedAt);
      }
      attempts += 1;
      const context = {
        consumer: this.consumer.name,
        shardId: shard.id,
        attempt: attempts,
        maxAttempts: this.maxAttempts,
        records: batch.length,
        firstSequenceNumber: batch[0]?.dynamodb?.SequenceNumber,
        error: messageOf(error),
      };
      if (attempts >= this.maxAttempts) {
        this.log.error("Stream batch failed on every attempt; sending it to the on-failure destination", context);
        await this.sendToFailureDestination(shard, batch, error);
        await this.checkpoint(shard, batch.at(-1));
        return true;
      }
      this.log.warn("Stream batch failed; retrying", context);
      await this.sleep(Math.min(this.retryBackoffMs * 2 ** (attempts - 1), MAX_BACKOFF_MS), false);
    }
  }

  private async sendToFailureDestination(shard: ShardState, records: DynamoDBRecord[], error: unknown): Promise<void> {
    if (this.options.onFailure) {
      try {
        await this.options.onFailure(this.consumer.name, records, error);
        return;
      } catch (destinationError) {
        this.log.error("On-failure destination failed; keeping the batch in the checkpoint table", {
          consumer: this.consumer.name,
          error: messageOf(destinationError),
        });
      }
    }
    await this.store.saveFailed({
      consumer: this.consumer.name,
      shardId: shard.id,
      failedAt: new Date().toISOString(),
      error: messageOf(error),
      records,
    });
  }
}

/**
 * Index of the record to retry from, or -1 when the batch succeeded. As in Lambda: an empty or
 * missing list is success; an identifier that is empty or not in the batch fails the whole batch;
 * otherwise the lowest reported position wins.
 */
export function firstFailedIndex(batch: DynamoDBRecord[], response: unknown): number {
  const parsed = batchResponse.safeParse(response);
  if (!parsed.success) return 0;
  const failures = parsed.data?.batchItemFailures ?? [];
  if (failures.length === 0) return -1;
  let lowest = Number.POSITIVE_INFINITY;
  for (const failure of failures) {
    const id = failure?.itemIdentifier;
    const index = id ? batch.findIndex((record) => record.dynamodb?.SequenceNumber === id) : -1;
    if (index < 0) return 0;
    lowest = Math.min(lowest, index);
  }
  return lowest;
}
