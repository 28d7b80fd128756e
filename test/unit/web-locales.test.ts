import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const localesDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../web/src/locales");

type Flat = Map<string, unknown>;

/** Flattens nested translation objects into dotted keys, as i18next addresses them. */
function flatten(value: unknown, prefix = "", into: Flat = new Map()): Flat {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, value);
  }
  return into;
}

function load(language: string): Flat {
  return flatten(JSON.parse(readFileSync(join(localesDir, `${language}.json`), "utf8")) as unknown);
}

const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe("web translations", () => {
  const sw = load("sw");
  const en = load("en");

  it("has the same keys in Kiswahili and English", () => {
    expect([...sw.keys()].sort()).toEqual([...en.keys()].sort());
    expect(sw.size).toBeGreaterThan(0);
  });

  it("has a non-empty text for every key in both languages", () => {
    for (const [language, texts] of [["sw", sw], ["en", en]] as const) {
      for (const [key, text] of texts) {
        expect(typeof text, `${language}: ${key}`).toBe("string");
        expect(String(text).trim(), `${language}: ${key}`).not.toBe("");
      }
    }
  });

  it("uses the same interpolation placeholders in both languages", () => {
    for (const [key, text] of sw) {
      expect(placeholders(String(en.get(key) ?? "")), key).toEqual(placeholders(String(text)));
    }
  });
});
