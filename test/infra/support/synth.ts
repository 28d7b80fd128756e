import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { CfnElement } from "aws-cdk-lib";
import type { IConstruct } from "constructs";
import { buildCells, type CellStacks } from "../../../lib/ofisi-app";
import { fromRoot } from "../../../lib/paths";

/** The context of `cdk.json` (cells, defaults and feature flags), as `cdk synth` gives it to the app. */
export function cdkJsonContext(): Record<string, unknown> {
  const parsed: unknown = JSON.parse(readFileSync(fromRoot("cdk.json"), "utf8"));
  if (typeof parsed !== "object" || parsed === null || !("context" in parsed)) throw new Error("cdk.json has no context");
  return parsed.context as Record<string, unknown>;
}

export interface SynthOptions {
  /** Context on top of cdk.json's. */
  readonly context?: Record<string, unknown>;
  /**
   * Stacks whose functions are really bundled with esbuild (glob patterns of stack paths).
   * Default: none, which keeps the suite fast; templates are the same apart from asset hashes.
   */
  readonly bundleStacks?: readonly string[];
  /** Keep the cloud assembly here (the caller removes it); by default it goes to a temp dir removed at once. */
  readonly outdir?: string;
}

export interface SynthesizedApp {
  readonly app: App;
  readonly cells: CellStacks[];
  /** Context lookups the app asked for; any would make an offline `cdk synth` fail. */
  readonly missingContext: readonly unknown[];
  template(stack: Stack): Template;
}

/** Builds the app as `bin/app.ts` does, from cdk.json's context plus overrides, and synthesizes it. */
export function synthesize(options: SynthOptions = {}): SynthesizedApp {
  const outdir = options.outdir ?? mkdtempSync(path.join(tmpdir(), "ofisi-infra-"));
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        ...options.context,
        "aws:cdk:bundling-stacks": options.bundleStacks ?? [],
      },
    });
    const cells = buildCells(app);
    // Templates are read while the assembly exists; afterwards they live in memory only.
    const templates = new Map<Stack, Template>();
    for (const { data, workflow, api, streams, alerts } of cells) {
      for (const stack of [data, workflow, api, streams, alerts]) templates.set(stack, Template.fromStack(stack));
    }
    return {
      app,
      cells,
      missingContext: app.synth().manifest.missing ?? [],
      template(stack) {
        const template = templates.get(stack);
        if (!template) throw new Error(`no template for ${stack.stackName}`);
        return template;
      },
    };
  } finally {
    if (!options.outdir) rmSync(outdir, { recursive: true, force: true });
  }
}

/** The logical id of a construct's CloudFormation resource, to pick it out of a template. */
export function logicalIdOf(construct: IConstruct): string {
  const child = construct.node.defaultChild as CfnElement | undefined;
  if (!child) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  const id: unknown = Stack.of(construct).resolve(child.logicalId);
  if (typeof id !== "string") throw new Error(`${construct.node.path} has no literal logical id`);
  return id;
}

export type CfnResource = { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string };

export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** Building and validating an app takes seconds, more on a busy two-core machine. */
export const SYNTH_TIMEOUT_MS = 90_000;
