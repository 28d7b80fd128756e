import { describe, expect, it } from "vitest";
import type { ChoiceState } from "../../../local/sfn/definition";
import { chooseNext, stringMatches } from "../../../local/sfn/choice";
import { runState } from "../../../local/sfn/interpreter";
import { context, stateOf } from "./support";

const targets = { Public: { Type: "Succeed" }, ValueIsZero: { Type: "Succeed" }, ValueInTwenties: { Type: "Succeed" }, DefaultState: { Type: "Succeed" } };
const choice = (body: Record<string, unknown>): ChoiceState => stateOf({ Type: "Choice", ...body }, targets) as ChoiceState;
const matches = (rule: Record<string, unknown>, input: unknown): boolean =>
  chooseNext(choice({ Choices: [{ ...rule, Next: "Public" }], Default: "DefaultState" }), input as never, context()) === "Public";

describe("Choice rules", () => {
  // The example of the Choice state documentation.
  const docsChoice = choice({
    Choices: [
      { Not: { Variable: "$.type", StringEquals: "Private" }, Next: "Public" },
      { Variable: "$.value", NumericEquals: 0, Next: "ValueIsZero" },
      { And: [{ Variable: "$.value", NumericGreaterThanEquals: 20 }, { Variable: "$.value", NumericLessThan: 30 }], Next: "ValueInTwenties" },
    ],
    Default: "DefaultState",
  });

  it.each([
    [{ type: "Public" }, "Public"],
    [{ type: "Private", value: 0 }, "ValueIsZero"],
    [{ type: "Private", value: 22 }, "ValueInTwenties"],
    [{ type: "Private", value: 35 }, "DefaultState"],
  ])("routes %j to %s, the first matching rule winning", (input, next) => {
    expect(chooseNext(docsChoice, input, context())).toBe(next);
  });

  it("passes its input through as output", () => {
    expect(runState(docsChoice, { type: "Private", value: 22 }, context(), 0)).toEqual({ kind: "next", next: "ValueInTwenties", output: { type: "Private", value: 22 } });
  });

  it("fails with States.NoChoiceMatched without a Default", () => {
    const state = choice({ Choices: [{ Variable: "$.a", StringEquals: "x", Next: "Public" }] });
    expect(() => chooseNext(state, { a: "y" }, context())).toThrow(expect.objectContaining({ error: "States.NoChoiceMatched" }));
  });

  it("fails with States.Runtime when the Variable is missing, except for IsPresent", () => {
    expect(() => matches({ Variable: "$.missing", StringEquals: "x" }, {})).toThrow(expect.objectContaining({ error: "States.Runtime" }));
    expect(matches({ Variable: "$.missing", IsPresent: false }, {})).toBe(true);
    expect(matches({ Variable: "$.here", IsPresent: true }, { here: null })).toBe(true);
  });

  it("compares strings, lexically, and against other paths", () => {
    expect(matches({ Variable: "$.s", StringEquals: "approve" }, { s: "approve" })).toBe(true);
    expect(matches({ Variable: "$.s", StringLessThan: "b" }, { s: "a" })).toBe(true);
    expect(matches({ Variable: "$.s", StringGreaterThanEquals: "b" }, { s: "a" })).toBe(false);
    expect(matches({ Variable: "$.s", StringEqualsPath: "$.t" }, { s: "x", t: "x" })).toBe(true);
    expect(matches({ Variable: "$.s", StringEquals: "1" }, { s: 1 })).toBe(false);
  });

  it("matches wildcard patterns with StringMatches", () => {
    expect(matches({ Variable: "$.file", StringMatches: "log-*.txt" }, { file: "log-2026-03.txt" })).toBe(true);
    expect(matches({ Variable: "$.file", StringMatches: "log-*.txt" }, { file: "log-2026.csv" })).toBe(false);
    expect(stringMatches("*.log", "\\*.log")).toBe(true);
    expect(stringMatches("a.log", "\\*.log")).toBe(false);
    expect(stringMatches("a+b(c)", "a+b(*)")).toBe(true);
  });

  it("compares numbers, including against paths, and never a string as a number", () => {
    expect(matches({ Variable: "$.n", NumericLessThanEquals: 5 }, { n: 5 })).toBe(true);
    expect(matches({ Variable: "$.n", NumericGreaterThan: 5 }, { n: 5.5 })).toBe(true);
    expect(matches({ Variable: "$.n", NumericLessThanPath: "$.limit" }, { n: 3, limit: 2 })).toBe(false);
    expect(matches({ Variable: "$.n", NumericEquals: 5 }, { n: "5" })).toBe(false);
  });

  it("compares booleans and timestamps", () => {
    expect(matches({ Variable: "$.b", BooleanEquals: true }, { b: true })).toBe(true);
    expect(matches({ Variable: "$.b", BooleanEqualsPath: "$.c" }, { b: true, c: false })).toBe(false);
    expect(matches({ Variable: "$.due", TimestampLessThan: "2026-03-02T08:00:00Z" }, { due: "2026-03-01T23:59:59Z" })).toBe(true);
    expect(matches({ Variable: "$.due", TimestampEquals: "2026-03-02T08:00:00Z" }, { due: "2026-03-02T11:00:00+03:00" })).toBe(true);
    expect(matches({ Variable: "$.due", TimestampGreaterThanEqualsPath: "$.now" }, { due: "2026-03-02T08:00:00Z", now: "2026-03-02T08:00:00.000Z" })).toBe(true);
    expect(matches({ Variable: "$.due", TimestampLessThan: "2026-03-02T08:00:00Z" }, { due: "yesterday" })).toBe(false);
  });

  it("tests types with IsNull, IsString, IsNumeric, IsBoolean and IsTimestamp", () => {
    const input = { n: null, s: "x", i: 4, b: false, t: "2026-03-02T08:00:00Z" };
    expect(matches({ Variable: "$.n", IsNull: true }, input)).toBe(true);
    expect(matches({ Variable: "$.s", IsString: true }, input)).toBe(true);
    expect(matches({ Variable: "$.s", IsNumeric: true }, input)).toBe(false);
    expect(matches({ Variable: "$.i", IsNumeric: true }, input)).toBe(true);
    expect(matches({ Variable: "$.b", IsBoolean: true }, input)).toBe(true);
    expect(matches({ Variable: "$.t", IsTimestamp: true }, input)).toBe(true);
    expect(matches({ Variable: "$.s", IsTimestamp: false }, input)).toBe(true);
  });

  it("combines rules with And, Or and Not", () => {
    const rule = { Or: [{ Variable: "$.action", StringEquals: "approve" }, { And: [{ Variable: "$.action", StringEquals: "complete" }, { Not: { Variable: "$.needsApproval", BooleanEquals: true } }] }] };
    expect(matches(rule, { action: "approve" })).toBe(true);
    expect(matches(rule, { action: "complete", needsApproval: false })).toBe(true);
    expect(matches(rule, { action: "complete", needsApproval: true })).toBe(false);
  });
});
