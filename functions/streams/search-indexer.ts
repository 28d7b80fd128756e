import { createDynamoClients } from "../platform/clients";
import { loadConfig } from "../platform/config";
import { SearchIndexStore, SearchSources } from "../store/search-index";
import { createSearchIndexer } from "./search-indexing";

/**
 * The search indexer's Lambda entry: consumes the Letters and Files streams (see
 * `functions/streams/consumers.ts`); the work is in `search-indexing.ts`.
 */
const config = loadConfig();
const clients = createDynamoClients(config);

export const handler = createSearchIndexer({
  index: new SearchIndexStore(clients.doc, config.tables.search),
  sources: new SearchSources(clients.doc, { letters: config.tables.letters, files: config.tables.files }),
});
