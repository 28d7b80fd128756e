import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { JavaMissingError, checkJava } from "../../../local/engines/dynamodb";

const dir = mkdtempSync(join(tmpdir(), "ofisi-java-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the Java check before DynamoDB Local starts", () => {
  it("names Java and how to install it when no java is on the PATH", () => {
    const error = (() => {
      try {
        checkJava({ PATH: dir });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(JavaMissingError);
    expect((error as Error).message).toMatch(/Java runtime \(version 17 or newer\)/);
    expect((error as Error).message).toMatch(/apt-get install -y openjdk-17-jre-headless/);
  });

  it("refuses a Java older than 17", () => {
    const fake = join(dir, "java");
    writeFileSync(fake, '#!/bin/sh\necho \'openjdk version "11.0.2" 2019-01-15\' >&2\n');
    chmodSync(fake, 0o755);
    expect(() => checkJava({ PATH: dir })).toThrow(/too old/);
  });

  it("accepts the Java of this machine", () => {
    expect(() => checkJava()).not.toThrow();
  });
});
