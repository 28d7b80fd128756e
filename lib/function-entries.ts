import { HANDLER_GROUPS, handlerEntry, type HandlerGroup } from "../functions/http/routes";
import { IDENTITY_FUNCTIONS } from "../functions/identity/functions";
import { OVERDUE_DIGEST_ENTRY } from "../functions/scheduled/functions";
import { CLOUD_STREAM_CONSUMERS } from "../functions/streams/consumers";
import { WORKFLOW_FUNCTIONS, type WorkflowFunctionSpec } from "../functions/workflow/functions";

/**
 * Every Lambda handler entry of the project, derived from the pure-data registries in `functions/`,
 * so a new route group or workflow function is deployed and built without touching this file.
 * Used by the CDK stacks and by `scripts/build-functions.ts`.
 */
export interface LambdaEntry {
  /** Unique, file-system-safe name derived from the entry: `functions/http/health.ts` -> `http-health`. */
  readonly name: string;
  /** Handler entry, relative to the repository root. */
  readonly entry: string;
}

export function entryName(entry: string): string {
  return entry
    .replace(/^functions\//, "")
    .replace(/\.tsx?$/, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .toLowerCase();
}

/** `store-task-token` -> `StoreTaskToken`, for construct ids. */
export function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join("");
}

export interface HttpEntry extends LambdaEntry {
  readonly group: HandlerGroup;
}

export interface WorkflowEntry extends LambdaEntry {
  readonly spec: WorkflowFunctionSpec;
}

export function httpEntries(): HttpEntry[] {
  return HANDLER_GROUPS.map((group) => {
    const entry = handlerEntry(group);
    return { group, entry, name: entryName(entry) };
  });
}

export function workflowEntries(): WorkflowEntry[] {
  return WORKFLOW_FUNCTIONS.map((spec) => ({ spec, entry: spec.entry, name: entryName(spec.entry) }));
}

export function identityEntries(): LambdaEntry[] {
  return IDENTITY_FUNCTIONS.map((entry) => ({ entry, name: entryName(entry) }));
}

/** Stream consumer entries, once each (one entry may consume several tables). */
export function streamEntries(): LambdaEntry[] {
  return [...new Set(CLOUD_STREAM_CONSUMERS.map((c) => c.entry))].map((entry) => ({ entry, name: entryName(entry) }));
}

/** Scheduled jobs (the overdue digest). */
export function scheduledEntries(): LambdaEntry[] {
  return [{ entry: OVERDUE_DIGEST_ENTRY, name: entryName(OVERDUE_DIGEST_ENTRY) }];
}

export function allLambdaEntries(): LambdaEntry[] {
  const entries: LambdaEntry[] = [...httpEntries(), ...workflowEntries(), ...identityEntries(), ...streamEntries(), ...scheduledEntries()].map(({ name, entry }) => ({
    name,
    entry,
  }));
  const seen = new Set<string>();
  for (const { name } of entries) {
    if (seen.has(name)) throw new Error(`Two Lambda entries share the bundle name ${name}`);
    seen.add(name);
  }
  return entries;
}
