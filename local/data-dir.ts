import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The data folder of `npm start` (`OFISI_DATA_DIR`, default `.data`). `--fresh` deletes it, so it
 * must be the runtime's own: a marker file says so, and a folder without one is never wiped.
 */

export const DATA_DIR_MARKER = ".ofisi-data";

/** What the runtime itself keeps in the folder; a folder holding only these predates the marker. */
const OWN_ENTRIES = new Set([DATA_DIR_MARKER, "dynamodb", "s3", "mail", "keys"]);

const MARKER_TEXT =
  "This folder holds the data of Ofisi Mtandao's local runtime (npm start).\n" +
  "`npm start -- --fresh` deletes it; without this file it refuses to.\n";

export class UnsafeDataDirError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `Refusing to wipe ${dataDir} for --fresh: it is not empty and has no ${DATA_DIR_MARKER} file, ` +
        "so it may not be an Ofisi data folder. Empty or remove it yourself, or set OFISI_DATA_DIR to another folder.",
    );
    this.name = "UnsafeDataDirError";
  }
}

function entriesOf(dataDir: string): string[] | undefined {
  if (!existsSync(dataDir)) return undefined;
  if (!statSync(dataDir).isDirectory()) throw new Error(`OFISI_DATA_DIR ${dataDir} is not a folder`);
  return readdirSync(dataDir);
}

/**
 * Makes `dataDir` ready for the runtime. With `fresh`, wipes it first, but only when it is missing,
 * empty or marked as the runtime's own; otherwise throws `UnsafeDataDirError` and touches nothing.
 * Marks the folder when it was missing or empty, or holds nothing but the runtime's own entries.
 */
export function prepareDataDir(dataDir: string, options: { fresh?: boolean } = {}): void {
  let entries = entriesOf(dataDir);
  if (options.fresh && entries && entries.length > 0) {
    if (!entries.includes(DATA_DIR_MARKER)) throw new UnsafeDataDirError(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
    entries = undefined;
  }
  mkdirSync(dataDir, { recursive: true });
  const own = (entries ?? []).every((entry) => OWN_ENTRIES.has(entry));
  if (own && !entries?.includes(DATA_DIR_MARKER)) writeFileSync(join(dataDir, DATA_DIR_MARKER), MARKER_TEXT);
}
