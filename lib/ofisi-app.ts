import { Tags, type App } from "aws-cdk-lib";
import { parseCells, type CellConfig } from "./cells";
import { AlertsStack } from "./stacks/alerts-stack";
import { ApiStack } from "./stacks/api-stack";
import { DataStack } from "./stacks/data-stack";
import { StreamsStack } from "./stacks/streams-stack";
import { WorkflowStack } from "./stacks/workflow-stack";

export interface CellStacks {
  readonly cell: CellConfig;
  readonly data: DataStack;
  readonly workflow: WorkflowStack;
  readonly api: ApiStack;
  readonly streams: StreamsStack;
  readonly alerts: AlertsStack;
}

/** `Ofisi-<cell>-Data`, `Ofisi-<cell>-Workflow`, `Ofisi-<cell>-Api`, `Ofisi-<cell>-Streams`, `Ofisi-<cell>-Alerts`. */
export function stackName(cell: string, part: "Data" | "Workflow" | "Api" | "Streams" | "Alerts"): string {
  return `Ofisi-${cell}-${part}`;
}

/**
 * Builds the stacks of every cell listed in the context. Stacks are environment-agnostic (account
 * and region come from the deploying credentials) and use no lookups, so `cdk synth` runs offline.
 */
export function buildCells(app: App): CellStacks[] {
  const cells = parseCells((key) => app.node.tryGetContext(key));
  return cells.map((cell) => {
    const data = new DataStack(app, stackName(cell.name, "Data"), {
      cell,
      description: `Ofisi Mtandao cell ${cell.name}: tables, attachments, encryption key, alarm topic`,
    });
    const workflow = new WorkflowStack(app, stackName(cell.name, "Workflow"), {
      cell,
      data,
      description: `Ofisi Mtandao cell ${cell.name}: letter workflow`,
    });
    const api = new ApiStack(app, stackName(cell.name, "Api"), {
      cell,
      data,
      workflow,
      description: `Ofisi Mtandao cell ${cell.name}: private network, private REST API, HTTP functions`,
    });
    const alerts = new AlertsStack(app, stackName(cell.name, "Alerts"), {
      cell,
      data,
      description: `Ofisi Mtandao cell ${cell.name}: overdue digest, its schedule group, dead-letter queue and alarms`,
    });
    // After Alerts: a consumer here keeps the digest's per-agency schedules, so it names the digest.
    const streams = new StreamsStack(app, stackName(cell.name, "Streams"), {
      cell,
      data,
      alerts,
      description: `Ofisi Mtandao cell ${cell.name}: stream consumers (search index, workflow signals, notifications, digest schedules)`,
    });
    for (const stack of [data, workflow, api, streams, alerts]) {
      Tags.of(stack).add("ofisi:app", "ofisi-mtandao");
      Tags.of(stack).add("ofisi:cell", cell.name);
    }
    return { cell, data, workflow, api, streams, alerts };
  });
}
