import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREATE_REQUIRE_BANNER } from "../../lib/constructs/bundling";
import { allLambdaEntries } from "../../lib/function-entries";
import { stackName } from "../../lib/ofisi-app";
import { buildFunctions, type BuiltFunction } from "../../scripts/build-functions";
import { synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

// The other infra tests skip bundling to stay fast; these bundle for real, with the local esbuild.
const work = mkdtempSync(path.join(tmpdir(), "ofisi-infra-bundling-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("CDK bundling", () => {
  let synth: SynthesizedApp;
  const workflowStack = stackName("shared", "Workflow");

  beforeAll(() => {
    synth = synthesize({ bundleStacks: [workflowStack], outdir: path.join(work, "cdk.out") });
  }, SYNTH_TIMEOUT_MS);

  it("bundles each function of a stack into an ESM file with the require shim and a source map, without Docker", () => {
    const assets = readdirSync(path.join(work, "cdk.out")).filter((name) => name.startsWith("asset."));
    const bundles = assets.filter((asset) => existsSync(path.join(work, "cdk.out", asset, "index.mjs")));
    expect(bundles).toHaveLength(synth.cells[0]!.workflow.functions.length);
    for (const asset of bundles) {
      const code = readFileSync(path.join(work, "cdk.out", asset, "index.mjs"), "utf8");
      expect(code.startsWith(CREATE_REQUIRE_BANNER)).toBe(true);
      expect(code).toMatch(/export\s*\{/);
      expect(existsSync(path.join(work, "cdk.out", asset, "index.mjs.map"))).toBe(true);
      expectEnvironmentCredentialsOnly(code, asset);
    }
  });
});

/** Lambda's credentials are in the environment: the SDK's SSO, INI, web identity and container chain stays out. */
function expectEnvironmentCredentialsOnly(code: string, name: string): void {
  expect(code, name).toContain("AWS_SECRET_ACCESS_KEY");
  for (const marker of ["AWS_WEB_IDENTITY_TOKEN_FILE", "sso_start_url", "AWS_CONTAINER_CREDENTIALS_FULL_URI"]) {
    expect(code, `${name}: ${marker}`).not.toContain(marker);
  }
}

describe("function build (npm run build)", () => {
  let built: BuiltFunction[];

  beforeAll(async () => {
    built = await buildFunctions({ outDir: path.join(work, "functions") });
  }, SYNTH_TIMEOUT_MS);

  it("builds every handler entry of the route groups and the workflow into its own index.mjs", () => {
    expect(built.map((b) => b.name).sort()).toEqual(allLambdaEntries().map((e) => e.name).sort());
    for (const bundle of built) {
      expect(bundle.file).toBe(path.join(work, "functions", bundle.name, "index.mjs"));
      expect(bundle.bytes).toBe(readFileSync(bundle.file).length);
      expect(existsSync(`${bundle.file}.map`)).toBe(true);
    }
  });

  it("keeps the AWS SDK inside the bundle", () => {
    for (const bundle of built) expect(readFileSync(bundle.file, "utf8"), bundle.name).not.toMatch(/from\s*["']@aws-sdk\//);
  });

  it("takes the credentials from the environment, as Lambda gives them, without the SDK's full chain", () => {
    for (const bundle of built) expectEnvironmentCredentialsOnly(readFileSync(bundle.file, "utf8"), bundle.name);
  });

  it("fails when a handler does not compile", async () => {
    const broken = path.join(work, "broken.ts");
    writeFileSync(broken, "export const handler = async ( => 1;\n");
    await expect(
      buildFunctions({ outDir: path.join(work, "broken-out"), entries: [{ name: "broken", entry: broken }] }),
    ).rejects.toThrow(/broken\.ts/);
  });
});
