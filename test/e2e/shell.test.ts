import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { htmlLang, launchBrowser, newPage } from "./support/browser";
import { startRuntime } from "./support/runtime";
import type { E2eRuntime } from "./support/runtime";

let runtime: E2eRuntime;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  [runtime, browser] = await Promise.all([startRuntime(), launchBrowser()]);
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

afterAll(async () => {
  await browser?.close();
  await runtime?.stop();
});

async function open(path: string): Promise<Page> {
  const opened = await newPage(browser, runtime.url);
  context = opened.context;
  await opened.page.goto(path);
  return opened.page;
}

describe("app shell", () => {
  it("speaks Kiswahili by default, even to an English-language browser", async () => {
    const page = await open("/");

    await page.getByRole("heading", { level: 1, name: "Ofisi Mtandao" }).waitFor();
    expect(await htmlLang(page)).toBe("sw");
    expect(await page.title()).toBe("Ofisi Mtandao");

    const nav = page.getByRole("navigation", { name: "Menyu kuu" });
    expect(await nav.getByRole("link", { name: "Mwanzo" }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Hali ya mfumo" }).isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Menyu" }).isVisible()).toBe(false);

    const language = page.getByRole("group", { name: "Lugha" });
    expect(await language.getByRole("button", { name: "Kiswahili" }).getAttribute("aria-pressed")).toBe("true");
    expect(await language.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe("false");
    expect(await page.getByRole("main").textContent()).toContain("Mfumo wa kielektroniki wa masjala na barua");
  });

  it("switches to English, and the choice survives a reload", async () => {
    const page = await open("/");
    await page.getByRole("group", { name: "Lugha" }).getByRole("button", { name: "English" }).click();

    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.getByRole("link", { name: "System status" }).waitFor();
    expect(await nav.getByRole("link", { name: "Home" }).isVisible()).toBe(true);
    expect(await htmlLang(page)).toBe("en");
    expect(await page.getByRole("link", { name: "View system status" }).isVisible()).toBe(true);

    await page.reload();
    await page.getByRole("navigation", { name: "Main navigation" }).getByRole("link", { name: "System status" }).waitFor();
    expect(await htmlLang(page)).toBe("en");
    expect(await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe(
      "true",
    );

    // And back: Kiswahili is one click away again.
    await page.getByRole("group", { name: "Language" }).getByRole("button", { name: "Kiswahili" }).click();
    await page.getByRole("navigation", { name: "Menyu kuu" }).getByRole("link", { name: "Hali ya mfumo" }).waitFor();
    expect(await htmlLang(page)).toBe("sw");
  });

  it("leads from the landing page to the system status page", async () => {
    const page = await open("/");
    await page.getByRole("link", { name: "Angalia hali ya mfumo" }).click();

    await page.getByRole("heading", { level: 1, name: "Hali ya mfumo" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/status");
    expect(await page.title()).toBe("Hali ya mfumo · Ofisi Mtandao");
    const current = page.getByRole("navigation", { name: "Menyu kuu" }).getByRole("link", { name: "Hali ya mfumo" });
    expect(await current.getAttribute("aria-current")).toBe("page");
  });

  it("answers an unknown address with a not-found page that leads back home", async () => {
    const page = await open("/hakuna-ukurasa-huu");

    await page.getByRole("heading", { level: 1, name: "Ukurasa haukupatikana" }).waitFor();
    await page.getByRole("link", { name: "Rudi ukurasa wa mwanzo" }).click();
    await page.getByRole("heading", { level: 1, name: "Ofisi Mtandao" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  });
});
