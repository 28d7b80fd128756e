import { mkdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type BuildOptions } from "esbuild";
import { CREATE_REQUIRE_BANNER, ESBUILD_ALIASES, ESBUILD_TARGET } from "../lib/constructs/bundling";
import { allLambdaEntries, type LambdaEntry } from "../lib/function-entries";
import { fromRoot } from "../lib/paths";

/**
 * Bundles every Lambda handler (route groups and workflow functions, listed by the pure-data
 * registries in `functions/`) the way the CDK deploys them: ESM for Node.js 22, minified,
 * tree-shaken, with source maps and the AWS SDK inside. Output: `dist/functions/<name>/index.mjs`.
 */

export interface BuiltFunction {
  readonly name: string;
  readonly entry: string;
  readonly file: string;
  /** Size of `index.mjs`, without its source map. */
  readonly bytes: number;
}

export interface BuildFunctionsOptions {
  /** Output folder; defaults to `dist/functions` in the repository. */
  readonly outDir?: string;
  /** Entries to build; defaults to every Lambda entry of the project. */
  readonly entries?: readonly LambdaEntry[];
}

export function esbuildOptions(entry: LambdaEntry, outDir: string): BuildOptions {
  return {
    entryPoints: [fromRoot(entry.entry)],
    outfile: path.join(outDir, entry.name, "index.mjs"),
    bundle: true,
    format: "esm",
    platform: "node",
    target: ESBUILD_TARGET,
    minify: true,
    treeShaking: true,
    sourcemap: true,
    sourcesContent: false,
    // Prefer ES modules so tree-shaking can drop the unused parts of the SDK.
    mainFields: ["module", "main"],
    banner: { js: CREATE_REQUIRE_BANNER },
    // Relative alias paths resolve in the working directory: the project root, as for the CDK.
    absWorkingDir: fromRoot("."),
    alias: { ...ESBUILD_ALIASES },
    metafile: false,
    // esbuild prints located warnings and errors itself.
    logLevel: "warning",
  };
}

export async function buildFunctions(options: BuildFunctionsOptions = {}): Promise<BuiltFunction[]> {
  const outDir = options.outDir ?? fromRoot("dist/functions");
  const entries = options.entries ?? allLambdaEntries();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const built: BuiltFunction[] = [];
  // One at a time: esbuild is already parallel inside, and the output order stays stable.
  for (const entry of entries) {
    const esbuildOpts = esbuildOptions(entry, outDir);
    try {
      await build(esbuildOpts);
    } catch (error) {
      throw new Error(`${entry.name} (${entry.entry}) did not build`, { cause: error });
    }
    const file = esbuildOpts.outfile ?? "";
    built.push({ name: entry.name, entry: entry.entry, file, bytes: (await stat(file)).size });
  }
  return built;
}

export function formatSizeTable(built: readonly BuiltFunction[]): string {
  const rows = built.map((b) => [b.name, String(b.bytes), (b.bytes / 1024).toFixed(1)]);
  const header = ["function", "bytes", "KB"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
  const total = built.reduce((sum, b) => sum + b.bytes, 0);
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line), line(["total", String(total), (total / 1024).toFixed(1)])].join("\n");
}

async function main(): Promise<void> {
  const started = Date.now();
  const built = await buildFunctions();
  console.log(formatSizeTable(built));
  console.log(`\n${built.length} functions bundled into dist/functions in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`Function build failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
