import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DATA_DIR_MARKER, UnsafeDataDirError, prepareDataDir } from "../../../local/data-dir";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "ofisi-data-dir-"));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("the data folder of npm start", () => {
  it("creates a missing folder and marks it as the runtime's own", () => {
    const dir = join(root, "nested", ".data");
    prepareDataDir(dir);
    expect(readdirSync(dir)).toEqual([DATA_DIR_MARKER]);
  });

  it("wipes a marked folder on --fresh and marks it again", () => {
    const dir = join(root, ".data");
    prepareDataDir(dir);
    mkdirSync(join(dir, "dynamodb"));
    writeFileSync(join(dir, "dynamodb", "shared-local-instance.db"), "tables");

    prepareDataDir(dir, { fresh: true });
    expect(readdirSync(dir)).toEqual([DATA_DIR_MARKER]);
  });

  it("refuses --fresh on a folder that holds other things and no marker, naming it and deleting nothing", () => {
    const home = join(root, "home");
    mkdirSync(join(home, "Documents"), { recursive: true });
    writeFileSync(join(home, "notes.txt"), "keep me");

    expect(() => prepareDataDir(home, { fresh: true })).toThrow(UnsafeDataDirError);
    expect(() => prepareDataDir(home, { fresh: true })).toThrow(`Refusing to wipe ${home} for --fresh`);
    expect(readdirSync(home).sort()).toEqual(["Documents", "notes.txt"]);
  });

  it("does not mark a foreign folder on a normal start, so a later --fresh still refuses", () => {
    const dir = join(root, "projects");
    mkdirSync(dir);
    writeFileSync(join(dir, "thesis.docx"), "keep me");

    prepareDataDir(dir);
    expect(existsSync(join(dir, DATA_DIR_MARKER))).toBe(false);
    expect(() => prepareDataDir(dir, { fresh: true })).toThrow(UnsafeDataDirError);
    expect(existsSync(join(dir, "thesis.docx"))).toBe(true);
  });

  it("accepts --fresh on an empty folder", () => {
    const dir = join(root, "empty");
    mkdirSync(dir);
    prepareDataDir(dir, { fresh: true });
    expect(readdirSync(dir)).toEqual([DATA_DIR_MARKER]);
  });

  it("adopts a folder written before the marker existed (only the runtime's own entries) on a normal start", () => {
    const dir = join(root, ".data");
    for (const entry of ["dynamodb", "s3", "mail", "keys"]) mkdirSync(join(dir, entry), { recursive: true });
    expect(() => prepareDataDir(dir, { fresh: true })).toThrow(UnsafeDataDirError);

    prepareDataDir(dir);
    expect(existsSync(join(dir, DATA_DIR_MARKER))).toBe(true);
    prepareDataDir(dir, { fresh: true });
    expect(readdirSync(dir)).toEqual([DATA_DIR_MARKER]);
  });

  it("refuses a data folder that is a file", () => {
    const file = join(root, "file");
    writeFileSync(file, "x");
    expect(() => prepareDataDir(file, { fresh: true })).toThrow(/is not a folder/);
    expect(existsSync(file)).toBe(true);
  });
});
