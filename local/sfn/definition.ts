import { DefinitionError, UnsupportedConstructError } from "./errors";
import { intrinsicNames, isObject, isValidPath, parseIntrinsic, type Json, type JsonObject } from "./paths";

/** Choice comparison operators the engine implements, with the type of their operand. */
export const COMPARISON_OPERATORS = {
  StringEquals: "string",
  StringLessThan: "string",
  StringGreaterThan: "string",
  StringLessThanEquals: "string",
  StringGreaterThanEquals: "string",
  StringMatches: "string",
  NumericEquals: "number",
  NumericLessThan: "number",
  NumericGreaterThan: "number",
  NumericLessThanEquals: "number",
  NumericGreaterThanEquals: "number",
  BooleanEquals: "boolean",
  TimestampEquals: "string",
  TimestampLessThan: "string",
  TimestampGreaterThan: "string",
  TimestampLessThanEquals: "string",
  TimestampGreaterThanEquals: "string",
  IsNull: "boolean",
  IsPresent: "boolean",
  IsNumeric: "boolean",
  IsString: "boolean",
  IsBoolean: "boolean",
  IsTimestamp: "boolean",
} as const;
export type ComparisonOperator = keyof typeof COMPARISON_OPERATORS;
const PATH_OPERATORS = new Set<string>(
  Object.keys(COMPARISON_OPERATORS).filter((op) => /^(String|Numeric|Boolean|Timestamp)/.test(op) && op !== "StringMatches"),
);

export type ChoiceRule =
  | { kind: "and"; rules: ChoiceRule[] }
  | { kind: "or"; rules: ChoiceRule[] }
  | { kind: "not"; rule: ChoiceRule }
  | { kind: "compare"; variable: string; operator: ComparisonOperator; value: Json; operandIsPath: boolean };

export interface Retrier {
  errorEquals: string[];
  intervalSeconds: number;
  maxAttempts: number;
  backoffRate: number;
  maxDelaySeconds?: number;
  jitter: "FULL" | "NONE";
}

export interface Catcher {
  errorEquals: string[];
  next: string;
  resultPath?: string | null;
}

interface BaseState {
  name: string;
  inputPath?: string | null;
  outputPath?: string | null;
  next?: string;
  end: boolean;
}

export interface TaskState extends BaseState {
  type: "Task";
  waitForTaskToken: boolean;
  resource: string;
  parameters: JsonObject;
  resultSelector?: JsonObject;
  resultPath?: string | null;
  retry: Retrier[];
  catch: Catcher[];
  timeoutSeconds?: number;
  timeoutSecondsPath?: string;
}
export interface PassState extends BaseState {
  type: "Pass";
  parameters?: JsonObject;
  result?: Json;
  resultPath?: string | null;
}
export interface WaitState extends BaseState {
  type: "Wait";
  seconds?: number;
  secondsPath?: string;
  timestamp?: string;
  timestampPath?: string;
}
export interface ChoiceState extends BaseState {
  type: "Choice";
  choices: { rule: ChoiceRule; next: string }[];
  default?: string;
}
export interface SucceedState extends BaseState {
  type: "Succeed";
}
export interface FailState extends BaseState {
  type: "Fail";
  error?: string;
  cause?: string;
}
export type State = TaskState | PassState | WaitState | ChoiceState | SucceedState | FailState;

export interface ValidatedDefinition {
  startAt: string;
  timeoutSeconds?: number;
  states: Record<string, State>;
  /** The definition text after substitution, as DescribeStateMachine returns it. */
  text: string;
}

export const LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";
export const LAMBDA_INVOKE_WAIT = "arn:aws:states:::lambda:invoke.waitForTaskToken";

const COMMON = ["Type", "Comment"];
const ALLOWED_FIELDS: Record<State["type"], string[]> = {
  Task: [...COMMON, "Next", "End", "Resource", "Parameters", "InputPath", "OutputPath", "ResultPath", "ResultSelector", "Retry", "Catch", "TimeoutSeconds", "TimeoutSecondsPath"],
  Pass: [...COMMON, "Next", "End", "InputPath", "OutputPath", "ResultPath", "Parameters", "Result"],
  Wait: [...COMMON, "Next", "End", "InputPath", "OutputPath", "Seconds", "SecondsPath", "Timestamp", "TimestampPath"],
  Choice: [...COMMON, "Choices", "Default", "InputPath", "OutputPath"],
  Succeed: [...COMMON, "InputPath", "OutputPath"],
  Fail: [...COMMON, "Error", "Cause"],
};
const TOP_LEVEL_FIELDS = ["Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"];
const CONTEXT_ROOTS = ["$$.Execution", "$$.StateMachine", "$$.State", "$$.Task.Token"];

/** Replaces `${Name}` in every string value; an unknown name is an error naming it. */
export function substitute(value: unknown, substitutions: Record<string, string>): unknown {
  if (typeof value === "string") {
    return value.replace(/\$\{([A-Za-z0-9_.:-]+)\}/g, (_match, name: string) => {
      const replacement = substitutions[name];
      if (replacement === undefined) throw new DefinitionError(`Definition substitution "\${${name}}" has no value`);
      return replacement;
    });
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, substitutions));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, substitutions)]));
  return value;
}

/** Parses, substitutes and validates an ASL definition; throws naming the construct and the state. */
export function loadDefinition(json: string | object, substitutions: Record<string, string> = {}): ValidatedDefinition {
  let raw: unknown;
  if (typeof json === "string") {
    try {
      raw = JSON.parse(json);
    } catch (error) {
      throw new DefinitionError(`The definition is not valid JSON: ${(error as Error).message}`);
    }
  } else raw = json;
  const doc = substitute(raw, substitutions);
  if (!isObject(doc)) throw new DefinitionError("The definition must be a JSON object");
  for (const field of Object.keys(doc)) {
    if (!TOP_LEVEL_FIELDS.includes(field)) throw new UnsupportedConstructError(`field ${field}`, undefined);
  }
  if (doc.QueryLanguage !== undefined && doc.QueryLanguage !== "JSONPath") {
    throw new UnsupportedConstructError(`QueryLanguage ${JSON.stringify(doc.QueryLanguage)}`, undefined);
  }
  if (typeof doc.StartAt !== "string") throw new DefinitionError("The definition needs a StartAt string");
  if (!isObject(doc.States) || Object.keys(doc.States).length === 0) throw new DefinitionError("The definition needs a States object");
  const timeoutSeconds = doc.TimeoutSeconds === undefined ? undefined : positiveInteger(doc.TimeoutSeconds, "TimeoutSeconds", undefined);
  const states: Record<string, State> = {};
  for (const [name, body] of Object.entries(doc.States)) states[name] = validateState(name, body);
  const names = new Set(Object.keys(states));
  const checkTarget = (from: string, target: string | undefined, field: string): void => {
    if (target !== undefined && !names.has(target)) throw new DefinitionError(`State "${from}": ${field} "${target}" names no state`);
  };
  if (!names.has(doc.StartAt)) throw new DefinitionError(`StartAt "${doc.StartAt}" names no state`);
  for (const state of Object.values(states)) {
    checkTarget(state.name, state.next, "Next");
    if (state.type === "Task") for (const c of state.catch) checkTarget(state.name, c.next, "Catch Next");
    if (state.type === "Choice") {
      for (const c of state.choices) checkTarget(state.name, c.next, "Choice Next");
      checkTarget(state.name, state.default, "Default");
    }
  }
  return { startAt: doc.StartAt, timeoutSeconds, states, text: JSON.stringify(doc) };
}

function fail(state: string, message: string): never {
  throw new DefinitionError(`State "${state}": ${message}`);
}

function positiveInteger(value: unknown, field: string, state: string | undefined, allowZero = false): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new DefinitionError(`${state === undefined ? "" : `State "${state}": `}${field} must be a ${allowZero ? "non-negative" : "positive"} integer`);
  }
  return value;
}

function optionalString(body: JsonObject, field: string, state: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== "string") fail(state, `${field} must be a string`);
  return value;
}

function checkPath(value: string, field: string, state: string): string {
  if (value.startsWith("$$")) {
    if (value !== "$$" && !CONTEXT_ROOTS.some((root) => value === root || value.startsWith(`${root}.`) || value.startsWith(`${root}[`))) {
      throw new UnsupportedConstructError(`context path ${value}`, state);
    }
    if (!isValidPath(value.slice(1))) fail(state, `${field} "${value}" is not a valid path`);
    return value;
  }
  if (!isValidPath(value)) fail(state, `${field} "${value}" is not a valid path`);
  return value;
}

function optionalPath(body: JsonObject, field: string, state: string): string | null | undefined {
  const value = body[field];
  if (value === undefined || value === null) return value as null | undefined;
  if (typeof value !== "string") fail(state, `${field} must be a path string or null`);
  return checkPath(value, field, state);
}

/** Checks a Parameters / ResultSelector template: every `.$` value is a path or a supported intrinsic. */
function checkTemplate(template: Json, field: string, state: string): void {
  if (Array.isArray(template)) {
    for (const item of template) checkTemplate(item, field, state);
    return;
  }
  if (!isObject(template)) return;
  for (const [key, value] of Object.entries(template)) {
    if (!key.endsWith(".$")) {
      checkTemplate(value, field, state);
      continue;
    }
    if (typeof value !== "string") fail(state, `${field} key "${key}" must have a string value`);
    if (value.startsWith("States.")) {
      let call;
      try {
        call = parseIntrinsic(value);
      } catch (error) {
        fail(state, `${field} key "${key}": invalid intrinsic function (${(error as Error).message})`);
      }
      for (const name of intrinsicNames(call)) {
        if (name !== "States.Format") throw new UnsupportedConstructError(`intrinsic function ${name}`, state);
      }
      const paths: string[] = [];
      const collect = (arg: (typeof call.args)[number]): void => {
        if (arg.kind === "path") paths.push(arg.path);
        if (arg.kind === "call") arg.args.forEach(collect);
      };
      call.args.forEach(collect);
      for (const path of paths) checkPath(path, `${field} key "${key}"`, state);
    } else checkPath(value, `${field} key "${key}"`, state);
  }
}

function validateTransition(body: JsonObject, state: string, terminal: boolean): { next?: string; end: boolean } {
  if (terminal) return { end: true };
  const next = optionalString(body, "Next", state);
  const end = body.End === true;
  if (body.End !== undefined && typeof body.End !== "boolean") fail(state, "End must be a boolean");
  if (next !== undefined && end) fail(state, "has both Next and End");
  if (next === undefined && !end) fail(state, "needs Next or End");
  return { next, end };
}

function validateErrorEquals(value: Json | undefined, state: string, field: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || !value.every((e) => typeof e === "string")) {
    fail(state, `${field} ErrorEquals must be a non-empty array of strings`);
  }
  const names = value as string[];
  if (names.includes("States.ALL") && names.length > 1) fail(state, `${field} States.ALL must appear alone in ErrorEquals`);
  return names;
}

function validateRetry(value: Json | undefined, state: string): Retrier[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(state, "Retry must be an array");
  const allowed = ["ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "Comment"];
  const retriers = value.map((item, i): Retrier => {
    if (!isObject(item)) fail(state, "Retry entries must be objects");
    for (const field of Object.keys(item)) if (!allowed.includes(field)) throw new UnsupportedConstructError(`Retry field ${field}`, state);
    const backoffRate = item.BackoffRate ?? 2;
    if (typeof backoffRate !== "number" || backoffRate < 1) fail(state, "Retry BackoffRate must be a number of at least 1.0");
    const jitter = item.JitterStrategy ?? "NONE";
    if (jitter !== "FULL" && jitter !== "NONE") fail(state, "Retry JitterStrategy must be FULL or NONE");
    const retrier: Retrier = {
      errorEquals: validateErrorEquals(item.ErrorEquals, state, `Retry[${i}]`),
      intervalSeconds: item.IntervalSeconds === undefined ? 1 : positiveInteger(item.IntervalSeconds, "Retry IntervalSeconds", state),
      maxAttempts: item.MaxAttempts === undefined ? 3 : positiveInteger(item.MaxAttempts, "Retry MaxAttempts", state, true),
      backoffRate,
      jitter,
    };
    if (item.MaxDelaySeconds !== undefined) retrier.maxDelaySeconds = positiveInteger(item.MaxDelaySeconds, "Retry MaxDelaySeconds", state);
    return retrier;
  });
  retriers.forEach((r, i) => {
    if (r.errorEquals.includes("States.ALL") && i !== retriers.length - 1) fail(state, "a Retry with States.ALL must be the last one");
  });
  return retriers;
}

function validateCatch(value: Json | undefined, state: string): Catcher[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) fail(state, "Catch must be an array");
  const allowed = ["ErrorEquals", "Next", "ResultPath", "Comment"];
  const catchers = value.map((item, i): Catcher => {
    if (!isObject(item)) fail(state, "Catch entries must be objects");
    for (const field of Object.keys(item)) if (!allowed.includes(field)) throw new UnsupportedConstructError(`Catch field ${field}`, state);
    if (typeof item.Next !== "string") fail(state, `Catch[${i}] needs a Next`);
    return { errorEquals: validateErrorEquals(item.ErrorEquals, state, `Catch[${i}]`), next: item.Next, resultPath: optionalPath(item, "ResultPath", state) };
  });
  catchers.forEach((c, i) => {
    if (c.errorEquals.includes("States.ALL") && i !== catchers.length - 1) fail(state, "a Catch with States.ALL must be the last one");
  });
  return catchers;
}

function validateChoiceRule(rule: Json, state: string, topLevel: boolean): ChoiceRule {
  if (!isObject(rule)) fail(state, "Choice rules must be objects");
  const structural = ["Variable", "Next", "Comment", "And", "Or", "Not"];
  for (const field of Object.keys(rule)) {
    if (!structural.includes(field) && !(field in COMPARISON_OPERATORS) && !(field.endsWith("Path") && PATH_OPERATORS.has(field.slice(0, -4)))) {
      throw new UnsupportedConstructError(`Choice rule field ${field}`, state);
    }
  }
  if (!topLevel && rule.Next !== undefined) fail(state, "nested Choice rules must not have Next");
  if (Array.isArray(rule.And) || Array.isArray(rule.Or)) {
    const kind = Array.isArray(rule.And) ? "and" : "or";
    const list = (rule.And ?? rule.Or) as Json[];
    if (list.length === 0) fail(state, `${kind === "and" ? "And" : "Or"} needs at least one rule`);
    return { kind, rules: list.map((r) => validateChoiceRule(r, state, false)) };
  }
  if (rule.Not !== undefined) return { kind: "not", rule: validateChoiceRule(rule.Not, state, false) };
  if (typeof rule.Variable !== "string") fail(state, "a Choice rule needs a Variable (or And/Or/Not)");
  const variable = checkPath(rule.Variable, "Variable", state);
  const operators = Object.keys(rule).filter((f) => !structural.includes(f));
  if (operators.length !== 1) fail(state, `a Choice rule on ${variable} needs exactly one comparison operator`);
  const field = operators[0] as string;
  const operandIsPath = !(field in COMPARISON_OPERATORS);
  const operator = (operandIsPath ? field.slice(0, -4) : field) as ComparisonOperator;
  const value = rule[field] as Json;
  if (operandIsPath) {
    if (typeof value !== "string") fail(state, `${field} must be a path`);
    checkPath(value, field, state);
  } else if (typeof value !== COMPARISON_OPERATORS[operator]) {
    fail(state, `${field} needs a ${COMPARISON_OPERATORS[operator]} value`);
  } else if (operator.startsWith("Timestamp") && Number.isNaN(Date.parse(value as string))) {
    fail(state, `${field} needs an ISO-8601 timestamp`);
  }
  return { kind: "compare", variable, operator, value, operandIsPath };
}

function validateState(name: string, body: unknown): State {
  if (!isObject(body)) throw new DefinitionError(`State "${name}" must be an object`);
  const type = body.Type;
  if (typeof type !== "string") fail(name, "needs a Type");
  if (!(type in ALLOWED_FIELDS)) throw new UnsupportedConstructError(`type ${type}`, name);
  const stateType = type as State["type"];
  for (const field of Object.keys(body)) {
    if (!ALLOWED_FIELDS[stateType].includes(field)) throw new UnsupportedConstructError(`field ${field}`, name);
  }
  const io = { name, inputPath: optionalPath(body, "InputPath", name), outputPath: optionalPath(body, "OutputPath", name) };
  switch (stateType) {
    case "Task": {
      const resource = body.Resource;
      if (resource !== LAMBDA_INVOKE && resource !== LAMBDA_INVOKE_WAIT) {
        throw new UnsupportedConstructError(`Task Resource ${JSON.stringify(resource)}`, name, `use ${LAMBDA_INVOKE} or ${LAMBDA_INVOKE_WAIT}`);
      }
      const parameters = body.Parameters;
      if (!isObject(parameters)) fail(name, "a lambda:invoke Task needs Parameters with FunctionName");
      for (const key of Object.keys(parameters)) {
        if (!["FunctionName", "FunctionName.$", "Payload", "Payload.$"].includes(key)) {
          throw new UnsupportedConstructError(`lambda:invoke parameter ${key}`, name);
        }
      }
      if (typeof parameters.FunctionName !== "string" && typeof parameters["FunctionName.$"] !== "string") {
        fail(name, "Parameters.FunctionName must be a string");
      }
      checkTemplate(parameters, "Parameters", name);
      if (resource === LAMBDA_INVOKE_WAIT && !JSON.stringify(parameters).includes("$$.Task.Token")) {
        fail(name, "a .waitForTaskToken Task must pass $$.Task.Token in its Parameters");
      }
      let resultSelector: JsonObject | undefined;
      if (body.ResultSelector !== undefined) {
        if (!isObject(body.ResultSelector)) fail(name, "ResultSelector must be an object");
        checkTemplate(body.ResultSelector, "ResultSelector", name);
        resultSelector = body.ResultSelector;
      }
      if (body.TimeoutSeconds !== undefined && body.TimeoutSecondsPath !== undefined) fail(name, "has both TimeoutSeconds and TimeoutSecondsPath");
      const timeoutSecondsPath = optionalPath(body, "TimeoutSecondsPath", name);
      return {
        ...io,
        ...validateTransition(body, name, false),
        type: "Task",
        resource,
        waitForTaskToken: resource === LAMBDA_INVOKE_WAIT,
        parameters,
        resultSelector,
        resultPath: optionalPath(body, "ResultPath", name),
        retry: validateRetry(body.Retry, name),
        catch: validateCatch(body.Catch, name),
        timeoutSeconds: body.TimeoutSeconds === undefined ? undefined : positiveInteger(body.TimeoutSeconds, "TimeoutSeconds", name),
        timeoutSecondsPath: timeoutSecondsPath ?? undefined,
      };
    }
    case "Pass": {
      let parameters: JsonObject | undefined;
      if (body.Parameters !== undefined) {
        if (!isObject(body.Parameters)) fail(name, "Parameters must be an object");
        checkTemplate(body.Parameters, "Parameters", name);
        parameters = body.Parameters;
      }
      return { ...io, ...validateTransition(body, name, false), type: "Pass", parameters, result: body.Result, resultPath: optionalPath(body, "ResultPath", name) };
    }
    case "Wait": {
      const given = ["Seconds", "SecondsPath", "Timestamp", "TimestampPath"].filter((f) => body[f] !== undefined);
      if (given.length !== 1) fail(name, "a Wait needs exactly one of Seconds, SecondsPath, Timestamp, TimestampPath");
      const timestamp = optionalString(body, "Timestamp", name);
      if (timestamp !== undefined && Number.isNaN(Date.parse(timestamp))) fail(name, "Timestamp must be an ISO-8601 timestamp");
      return {
        ...io,
        ...validateTransition(body, name, false),
        type: "Wait",
        seconds: body.Seconds === undefined ? undefined : positiveInteger(body.Seconds, "Seconds", name, true),
        secondsPath: optionalPath(body, "SecondsPath", name) ?? undefined,
        timestamp,
        timestampPath: optionalPath(body, "TimestampPath", name) ?? undefined,
      };
    }
    case "Choice": {
      if (!Array.isArray(body.Choices) || body.Choices.length === 0) fail(name, "a Choice needs a non-empty Choices array");
      const choices = body.Choices.map((rule) => {
        if (!isObject(rule) || typeof rule.Next !== "string") fail(name, "every top-level Choice rule needs a Next");
        return { rule: validateChoiceRule(rule, name, true), next: rule.Next };
      });
      return { ...io, end: false, type: "Choice", choices, default: optionalString(body, "Default", name) };
    }
    case "Succeed":
      return { ...io, end: true, type: "Succeed" };
    case "Fail":
      return { name, end: true, type: "Fail", error: optionalString(body, "Error", name), cause: optionalString(body, "Cause", name) };
  }
}
