/**
 * Key schemas of the DynamoDB tables (DESIGN.md section 3). Pure data, imported by the store,
 * by the embedded runtime that creates the tables locally, and by the CDK data stack, so all three
 * agree on keys, indexes and streams.
 *
 * Every table has a string partition key `pk` and sort key `sk`. Entities put the agency id first
 * in every partition key. Secondary indexes are generic (`gsi1pk`/`gsi1sk`, ...) and each entity
 * module names the access pattern it uses them for.
 */

export const TABLE_KEYS = ["files", "letters", "directory", "stats", "search", "audit"] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

export interface TableSpec {
  readonly key: TableKey;
  /** Logical name; the physical name is chosen by the CDK (cloud) or `<prefix><name>` (local). */
  readonly name: string;
  /** Environment variable that carries the physical table name to the functions. */
  readonly envVar: string;
  readonly indexes: readonly string[];
  /** Emits NEW_AND_OLD_IMAGES stream records (see `functions/streams/consumers.ts` for who reads them). */
  readonly stream: boolean;
  /** Attribute holding an epoch-seconds expiry, if items of this table expire. */
  readonly ttlAttribute?: string;
}

export const TABLES: Readonly<Record<TableKey, TableSpec>> = {
  files: { key: "files", name: "Files", envVar: "FILES_TABLE", indexes: ["gsi1", "gsi2"], stream: true },
  letters: { key: "letters", name: "Letters", envVar: "LETTERS_TABLE", indexes: ["gsi1", "gsi2", "gsi3"], stream: true },
  directory: {
    key: "directory",
    name: "Directory",
    envVar: "DIRECTORY_TABLE",
    indexes: ["gsi1", "gsi2"],
    // Agencies and their settings drive the per-agency digest schedules in the cloud.
    stream: true,
    ttlAttribute: "expiresAtEpoch",
  },
  stats: { key: "stats", name: "Stats", envVar: "STATS_TABLE", indexes: [], stream: false },
  search: { key: "search", name: "SearchIndex", envVar: "SEARCH_TABLE", indexes: [], stream: false },
  audit: { key: "audit", name: "Audit", envVar: "AUDIT_TABLE", indexes: [], stream: false },
};
