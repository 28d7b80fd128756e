import type { ChoiceRule, ChoiceState } from "./definition";
import { StatesError } from "./errors";
import { pathExists, resolvePath, type ContextObject, type Json } from "./paths";

// RFC 3339 as Step Functions accepts it: date, 'T', time, optional fraction, 'Z' or an offset.
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function parseTimestamp(value: Json): number | undefined {
  if (typeof value !== "string" || !TIMESTAMP.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** `*` matches any run of characters; `\*` and `\\` are a literal star and backslash. */
export function stringMatches(value: string, pattern: string): boolean {
  let regex = "^";
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i] as string;
    if (c === "\\" && i + 1 < pattern.length) {
      regex += (pattern[i + 1] as string).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      i += 1;
    } else if (c === "*") regex += "[\\s\\S]*";
    else regex += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`${regex}$`).test(value);
}

function compareOrdered(a: number | string, b: number | string, op: string): boolean {
  if (op.endsWith("GreaterThanEquals")) return a >= b;
  if (op.endsWith("LessThanEquals")) return a <= b;
  if (op.endsWith("GreaterThan")) return a > b;
  if (op.endsWith("LessThan")) return a < b;
  return a === b;
}

export function evaluateRule(rule: ChoiceRule, input: Json, context: ContextObject): boolean {
  switch (rule.kind) {
    case "and":
      return rule.rules.every((r) => evaluateRule(r, input, context));
    case "or":
      return rule.rules.some((r) => evaluateRule(r, input, context));
    case "not":
      return !evaluateRule(rule.rule, input, context);
    case "compare":
      break;
  }
  const { operator, variable } = rule;
  if (operator === "IsPresent") {
    const present = variable.startsWith("$$") ? true : pathExists(variable, input);
    return present === rule.value;
  }
  // A Variable that is missing fails the execution, as in Step Functions (only IsPresent tolerates it).
  const actual = resolvePath(variable, input, context);
  const expected = rule.operandIsPath ? resolvePath(rule.value as string, input, context) : rule.value;
  switch (operator) {
    case "IsNull":
      return (actual === null) === expected;
    case "IsNumeric":
      return (typeof actual === "number") === expected;
    case "IsString":
      return (typeof actual === "string") === expected;
    case "IsBoolean":
      return (typeof actual === "boolean") === expected;
    case "IsTimestamp":
      return (parseTimestamp(actual) !== undefined) === expected;
    case "BooleanEquals":
      return typeof actual === "boolean" && actual === expected;
    case "StringMatches":
      return typeof actual === "string" && typeof expected === "string" && stringMatches(actual, expected);
  }
  if (operator.startsWith("String")) {
    return typeof actual === "string" && typeof expected === "string" && compareOrdered(actual, expected, operator);
  }
  if (operator.startsWith("Numeric")) {
    return typeof actual === "number" && typeof expected === "number" && compareOrdered(actual, expected, operator);
  }
  if (operator.startsWith("Timestamp")) {
    const a = parseTimestamp(actual);
    const b = parseTimestamp(expected);
    return a !== undefined && b !== undefined && compareOrdered(a, b, operator);
  }
  throw new StatesError("States.Runtime", `Unknown Choice operator ${operator}`);
}

/** The next state of a Choice: the first matching rule, else Default, else States.NoChoiceMatched. */
export function chooseNext(state: ChoiceState, input: Json, context: ContextObject): string {
  for (const choice of state.choices) if (evaluateRule(choice.rule, input, context)) return choice.next;
  if (state.default !== undefined) return state.default;
  throw new StatesError("States.NoChoiceMatched", `No Choice rule matched and there was no Default in state "${state.name}"`);
}
