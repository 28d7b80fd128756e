import { DynamoDBStreamsClient } from "@aws-sdk/client-dynamodb-streams";
import { STREAM_CONSUMERS } from "../../../functions/streams/consumers";
import { startStreamPoller, type StreamPoller, type StreamPollerOptions } from "../../../local/streams/poller";
import { startHarness as startRecordsHarness, type ApiResponse, type Harness as RecordsHarness, type Person } from "../letters/harness";
import { LOCAL_AWS, dynamoEndpoint } from "../support/engines";

/**
 * The records harness (files, letters and directory route groups as Lambda runs them) plus the
 * search route group behind the same gateway and the search indexer fed by the real stream
 * poller, exactly as the embedded runtime wires them (`functions/streams/consumers.ts`).
 */

export interface SearchItem {
  kind: "letter" | "file";
  id: string;
  reference: string;
  title: string;
  date: string;
  status: string;
  overdue: boolean;
}

export interface SearchPage {
  items: SearchItem[];
  nextCursor: string | null;
}

export interface SearchHarness extends RecordsHarness {
  checkpointTable: string;
  search(person: Person, params: Record<string, string | number>): Promise<ApiResponse<SearchPage>>;
  /** Resolves once the indexer has caught up with every change made so far. */
  indexed(): Promise<void>;
}

export const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startSearchHarness(label: string, poller: Partial<StreamPollerOptions> = {}): Promise<SearchHarness> {
  const h = await startRecordsHarness(label, { extraGroups: ["search"] });
  const streams = new DynamoDBStreamsClient({ ...LOCAL_AWS, endpoint: dynamoEndpoint() });
  const checkpointTable = `${h.tables.search}-checkpoints`;
  let running: StreamPoller | undefined;
  try {
    const { handler: indexer } = await import("../../../functions/streams/search-indexer");
    running = await startStreamPoller({
      dynamo: h.dynamo,
      streams,
      checkpointTable,
      consumers: STREAM_CONSUMERS.map((spec) => ({ name: spec.name, tableName: h.tables[spec.table], handler: indexer, batchSize: spec.batchSize })),
      pollIntervalMs: 100,
      retryBackoffMs: 50,
      logger: quietLogger,
      ...poller,
    });
    const pollerRunning = running;
    return {
      ...h,
      checkpointTable,
      search: async (person, params) => {
        const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
        return h.call<SearchPage>("GET", `/api/search?${query.toString()}`, { token: person.token });
      },
      indexed: () => pollerRunning.idle(),
      stop: async () => {
        await pollerRunning.stop();
        streams.destroy();
        await h.stop();
      },
    };
  } catch (error) {
    await running?.stop();
    streams.destroy();
    await h.stop();
    throw error;
  }
}

/** Titles of a page, in order. */
export const titles = (page: SearchPage | undefined): string[] => (page?.items ?? []).map((i) => i.title);
