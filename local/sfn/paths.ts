import { JSONPath } from "jsonpath-plus";
import { StatesError } from "./errors";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A deep copy through JSON, which also turns `undefined` into `null` as a Lambda payload would. */
export function toJson(value: unknown): Json {
  const text = JSON.stringify(value);
  return text === undefined ? null : (JSON.parse(text) as Json);
}

/**
 * One step of a reference path (`$.a.b[0]['c d']`): a field name or an array index. Reference
 * paths identify a single node, which is what ResultPath and the `...Path` fields need.
 */
type Segment = string | number;

const FIELD = /^\.([A-Za-z_$][\w$-]*)/;
const INDEX = /^\[(\d+)\]/;
const QUOTED = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/;

/** Segments of a reference path, or undefined when the path is not a simple reference path. */
export function parseReferencePath(path: string): Segment[] | undefined {
  if (!path.startsWith("$")) return undefined;
  let rest = path.slice(1);
  const segments: Segment[] = [];
  while (rest.length > 0) {
    const field = FIELD.exec(rest);
    if (field?.[1] !== undefined) {
      segments.push(field[1]);
      rest = rest.slice(field[0].length);
      continue;
    }
    const index = INDEX.exec(rest);
    if (index?.[1] !== undefined) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = QUOTED.exec(rest);
    if (quoted) {
      segments.push((quoted[1] ?? quoted[2] ?? "").replace(/\\(.)/g, "$1"));
      rest = rest.slice(quoted[0].length);
      continue;
    }
    return undefined;
  }
  return segments;
}

/** True when a string is a path the engine can evaluate (a reference path or a JSONPath query). */
export function isValidPath(path: string): boolean {
  if (!path.startsWith("$")) return false;
  if (parseReferencePath(path)) return true;
  try {
    JSONPath.toPathArray(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Evaluates a path over a document. A reference path yields its single node (missing → error);
 * a query path (wildcards, filters, slices) yields the array of its matches, as in Step Functions.
 */
export function evaluatePath(path: string, document: Json, fieldName = "path"): Json {
  const segments = parseReferencePath(path);
  if (segments) {
    let node: Json = document;
    for (const segment of segments) {
      if (typeof segment === "number" && Array.isArray(node) && segment < node.length) node = node[segment] as Json;
      else if (typeof segment === "string" && isObject(node) && Object.hasOwn(node, segment)) node = node[segment] as Json;
      else throw new StatesError("States.Runtime", `The ${fieldName} '${path}' could not be found in the input '${preview(document)}'`);
    }
    return node;
  }
  const matches = JSONPath({ path, json: document as object, wrap: true }) as Json[] | undefined;
  return matches ?? [];
}

/** True when the path names an existing node (used by the IsPresent choice operator). */
export function pathExists(path: string, document: Json): boolean {
  try {
    const segments = parseReferencePath(path);
    if (!segments) return (evaluatePath(path, document) as Json[]).length > 0;
    evaluatePath(path, document);
    return true;
  } catch {
    return false;
  }
}

/** InputPath and OutputPath: null means the empty object, absent means the whole document. */
export function selectPath(path: string | null | undefined, document: Json, fieldName: string): Json {
  if (path === null) return {};
  if (path === undefined || path === "$") return document;
  return evaluatePath(path, document, fieldName);
}

/** ResultPath: places the result into (a copy of) the raw input. */
export function applyResultPath(input: Json, result: Json, resultPath: string | null | undefined): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === "$") return result;
  const segments = parseReferencePath(resultPath);
  if (!segments || segments.length === 0) throw new StatesError("States.ResultPathMatchFailure", `Invalid ResultPath '${resultPath}'`);
  const root = toJson(input);
  let node: Json = root;
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as Segment;
    const last = i === segments.length - 1;
    if (typeof segment === "number") {
      if (!Array.isArray(node) || segment >= node.length) throw resultPathFailure(resultPath, input);
      if (last) node[segment] = result;
      else node = node[segment] as Json;
    } else {
      if (!isObject(node)) throw resultPathFailure(resultPath, input);
      if (last) node[segment] = result;
      else {
        if (!Object.hasOwn(node, segment)) node[segment] = {};
        node = node[segment] as Json;
      }
    }
  }
  return root;
}

function resultPathFailure(resultPath: string, input: Json): StatesError {
  return new StatesError(
    "States.ResultPathMatchFailure",
    `Unable to apply ResultPath '${resultPath}' to input '${preview(input)}'`,
  );
}

function preview(value: Json): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/** The `$$` context object of a state. */
export interface ContextObject {
  Execution: { Id: string; Name: string; Input: Json; StartTime: string; RoleArn: string; RedriveCount: number };
  StateMachine: { Id: string; Name: string };
  State: { Name: string; EnteredTime: string; RetryCount: number };
  Task?: { Token: string };
}

// ---- intrinsic functions -------------------------------------------------------------------

export type IntrinsicArg =
  | { kind: "literal"; value: Json }
  | { kind: "path"; path: string }
  | { kind: "call"; name: string; args: IntrinsicArg[] };

/** Parses `States.Name(arg, ...)`; throws a plain Error describing the syntax problem. */
export function parseIntrinsic(text: string): Extract<IntrinsicArg, { kind: "call" }> {
  let pos = 0;
  const skip = (): void => {
    while (pos < text.length && /\s/.test(text[pos] as string)) pos += 1;
  };
  const call = (): Extract<IntrinsicArg, { kind: "call" }> => {
    const name = /^States\.[A-Za-z0-9]+/.exec(text.slice(pos));
    if (!name) throw new Error(`expected an intrinsic function at ${pos}`);
    pos += name[0].length;
    skip();
    if (text[pos] !== "(") throw new Error(`expected '(' after ${name[0]}`);
    pos += 1;
    const args: IntrinsicArg[] = [];
    skip();
    if (text[pos] === ")") {
      pos += 1;
      return { kind: "call", name: name[0], args };
    }
    for (;;) {
      skip();
      args.push(arg());
      skip();
      if (text[pos] === ",") {
        pos += 1;
        continue;
      }
      if (text[pos] === ")") {
        pos += 1;
        return { kind: "call", name: name[0], args };
      }
      throw new Error(`expected ',' or ')' at ${pos}`);
    }
  };
  const arg = (): IntrinsicArg => {
    const c = text[pos];
    if (c === "'") {
      let value = "";
      pos += 1;
      while (pos < text.length && text[pos] !== "'") {
        if (text[pos] === "\\" && pos + 1 < text.length) {
          // Keep the escape for `\{` / `\}` so States.Format can tell literal braces from placeholders.
          const next = text[pos + 1] as string;
          value += next === "{" || next === "}" ? `\\${next}` : next;
          pos += 2;
        } else {
          value += text[pos];
          pos += 1;
        }
      }
      if (text[pos] !== "'") throw new Error("unterminated string literal");
      pos += 1;
      return { kind: "literal", value };
    }
    if (c === "$") {
      const match = /^\$[^,)\s]*(?:\[[^\]]*\][^,)\s]*)*/.exec(text.slice(pos));
      const path = match?.[0] ?? "$";
      pos += path.length;
      return { kind: "path", path };
    }
    if (text.startsWith("States.", pos)) return call();
    const literal = /^(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(pos));
    if (literal) {
      pos += literal[0].length;
      return { kind: "literal", value: JSON.parse(literal[0]) as Json };
    }
    throw new Error(`unexpected character at ${pos}`);
  };
  skip();
  const result = call();
  skip();
  if (pos !== text.length) throw new Error(`unexpected text after the closing ')' at ${pos}`);
  return result;
}

/** Names of every intrinsic used in a parsed call (nested ones included). */
export function intrinsicNames(call: IntrinsicArg): string[] {
  if (call.kind !== "call") return [];
  return [call.name, ...call.args.flatMap(intrinsicNames)];
}

function evaluateIntrinsic(node: IntrinsicArg, input: Json, context: ContextObject): Json {
  if (node.kind === "literal") return node.value;
  if (node.kind === "path") return resolvePath(node.path, input, context);
  if (node.name !== "States.Format") throw new StatesError("States.IntrinsicFailure", `${node.name} is not supported`);
  const [templateArg, ...rest] = node.args;
  const template = templateArg ? evaluateIntrinsic(templateArg, input, context) : undefined;
  if (typeof template !== "string") throw new StatesError("States.IntrinsicFailure", "States.Format needs a string template");
  const values = rest.map((a) => evaluateIntrinsic(a, input, context));
  let out = "";
  let used = 0;
  for (let i = 0; i < template.length; i += 1) {
    const c = template[i];
    if (c === "\\" && (template[i + 1] === "{" || template[i + 1] === "}")) {
      out += template[i + 1];
      i += 1;
    } else if (c === "{" && template[i + 1] === "}") {
      if (used >= values.length) throw new StatesError("States.IntrinsicFailure", "States.Format has more placeholders than arguments");
      const value = values[used] as Json;
      used += 1;
      if (typeof value === "object" && value !== null) {
        throw new StatesError("States.IntrinsicFailure", "States.Format arguments must be strings, numbers, booleans or null");
      }
      out += String(value);
      i += 1;
    } else out += c;
  }
  if (used !== values.length) throw new StatesError("States.IntrinsicFailure", "States.Format has more arguments than placeholders");
  return out;
}

/** A path over the state input (`$...`) or the context object (`$$...`). */
export function resolvePath(path: string, input: Json, context: ContextObject): Json {
  if (path.startsWith("$$")) return evaluatePath(`$${path.slice(2)}`, toJson(context), "context path");
  return evaluatePath(path, input, "path");
}

/**
 * Parameters / ResultSelector: a payload template whose keys ending in `.$` take their value from
 * a path or an intrinsic function; nested objects and arrays are processed the same way.
 */
export function applyTemplate(template: Json, input: Json, context: ContextObject): Json {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, input, context));
  if (!isObject(template)) return template;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith(".$") && typeof value === "string") {
      const target = key.slice(0, -2);
      out[target] = value.startsWith("States.")
        ? evaluateIntrinsic(parseIntrinsic(value), input, context)
        : resolvePath(value, input, context);
    } else out[key] = applyTemplate(value, input, context);
  }
  return out;
}
