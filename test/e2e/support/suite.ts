import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll } from "vitest";
import { launchBrowser, newPage } from "./browser";
import { startRuntime, type E2eRuntime } from "./runtime";

export interface BrowserSuite {
  /** Base URL of the runtime started for this file (valid from the first `beforeAll` on). */
  readonly url: string;
  /**
   * A page in a fresh browser context (its own storage: a token or language set here never leaks
   * into another page); every context opened in a test is closed after it.
   */
  page(options?: { token?: string; viewport?: { width: number; height: number }; localStorage?: Record<string, string> }): Promise<Page>;
  /** Closes the contexts opened so far in this test, as the end of the test would. */
  closePages(): Promise<void>;
}

/**
 * The hooks of a browser test file: the real runtime (fresh data, free port) and Chromium are
 * started once for the file and stopped after it. Call at the top level of the file, before any
 * `beforeAll` of its own that needs the runtime.
 */
export function browserSuite(): BrowserSuite {
  let runtime: E2eRuntime | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];

  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The ${what} of this browser suite is not started yet (use it in a test or a later beforeAll)`);
    return value;
  };
  const closePages = async () => {
    for (const context of contexts.splice(0)) await context.close();
  };

  beforeAll(async () => {
    [runtime, browser] = await Promise.all([startRuntime(), launchBrowser()]);
  });
  afterEach(closePages);
  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
  });

  return {
    get url() {
      return started(runtime, "runtime").url;
    },
    async page(options = {}) {
      const localStorage = { ...options.localStorage, ...(options.token ? { "ofisi.token": options.token } : {}) };
      const opened = await newPage(started(browser, "browser"), started(runtime, "runtime").url, {
        viewport: options.viewport,
        localStorage: Object.keys(localStorage).length > 0 ? localStorage : undefined,
      });
      contexts.push(opened.context);
      return opened.page;
    },
    closePages,
  };
}
