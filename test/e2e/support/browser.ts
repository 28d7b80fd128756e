import { chromium } from "playwright-core";
import type { Browser, BrowserContext, Page } from "playwright-core";

/** Debian's Chromium, headless, with everything that would reach outside this machine switched off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

export const desktop = { width: 1280, height: 800 } as const;
export const phone = { width: 375, height: 812 } as const;

/**
 * A fresh context per test: its own storage (so the language choice of one test never leaks into
 * another) and its base URL. Pages created in it are closed with it.
 */
export async function newPage(
  browser: Browser,
  baseURL: string,
  options: { viewport?: { width: number; height: number }; localStorage?: Record<string, string> } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const localStorage = Object.entries(options.localStorage ?? {}).map(([name, value]) => ({ name, value }));
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? desktop,
    // An English-language browser, so the tests show that Kiswahili is the app's own default.
    locale: "en-US",
    storageState: { cookies: [], origins: [{ origin: new URL(baseURL).origin, localStorage }] },
  });
  // Well above what a page of this app needs here, well below the test timeout, so a miss fails clearly.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  return { context, page };
}

/** Reads a value from the page; a string expression keeps DOM types out of the Node test program. */
export function evaluate<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

export const htmlLang = (page: Page) => page.locator("html").getAttribute("lang");

/** How far the page can be scrolled sideways, in CSS pixels (0 when it fits the viewport). */
export const horizontalOverflow = (page: Page) =>
  evaluate<number>(page, "document.documentElement.scrollWidth - document.documentElement.clientWidth");
