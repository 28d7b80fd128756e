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
  viewport: { width: number; height: number } = desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport, locale: "en-US" });
  const page = await context.newPage();
  return { context, page };
}
