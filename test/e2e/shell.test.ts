import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { htmlLang } from "./support/browser";
import { browserSuite } from "./support/suite";
import { apiToken } from "./support/session";

const suite = browserSuite();

/** One session for the pages that need a signed-in user; the sign-in itself is tested in identity.test.ts. */
let token: string;

beforeAll(async () => {
  token = await apiToken(suite.url, "officer.a@demo.go.tz");
});

async function open(path: string, options: { signedIn?: boolean } = {}): Promise<Page> {
  const page = await suite.page({ localStorage: options.signedIn ? { "ofisi.token": token } : undefined });
  await page.goto(path);
  return page;
}

describe("app shell", () => {
  it("speaks Kiswahili by default, even to an English-language browser, and asks a visitor to sign in", async () => {
    const page = await open("/");

    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/login");
    expect(await htmlLang(page)).toBe("sw");
    expect(await page.title()).toBe("Ingia · Ofisi Mtandao");

    const nav = page.getByRole("navigation", { name: "Menyu kuu" });
    expect(await nav.getByRole("link", { name: "Hali ya mfumo" }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Ingia" }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Mwanzo" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Menyu" }).isVisible()).toBe(false);

    const language = page.getByRole("group", { name: "Lugha" });
    expect(await language.getByRole("button", { name: "Kiswahili" }).getAttribute("aria-pressed")).toBe("true");
    expect(await language.getByRole("button", { name: "English" }).getAttribute("aria-pressed")).toBe("false");
    expect(await page.getByLabel("Barua pepe").isVisible()).toBe(true);
    expect(await page.getByRole("button", { name: "Tuma msimbo" }).isVisible()).toBe(true);
  });

  it("shows a signed-in user the landing page in Kiswahili", async () => {
    const page = await open("/", { signedIn: true });

    await page.getByRole("heading", { level: 1, name: "Ofisi Mtandao" }).waitFor();
    expect(await page.title()).toBe("Ofisi Mtandao");
    await page.getByText("Karibu, Amina Afisa.").waitFor();
    const nav = page.getByRole("navigation", { name: "Menyu kuu" });
    expect(await nav.getByRole("link", { name: "Mwanzo" }).isVisible()).toBe(true);
    expect(await nav.getByRole("link", { name: "Hali ya mfumo" }).isVisible()).toBe(true);
    expect(await page.getByRole("main").textContent()).toContain("Mfumo wa kielektroniki wa masjala na barua");
    expect(await page.getByRole("banner").getByRole("button", { name: /Amina Afisa/ }).isVisible()).toBe(true);
  });

  it("switches to English, and the choice survives a reload", async () => {
    const page = await open("/login");
    await page.getByRole("group", { name: "Lugha" }).getByRole("button", { name: "English" }).click();

    const nav = page.getByRole("navigation", { name: "Main navigation" });
    await nav.getByRole("link", { name: "System status" }).waitFor();
    expect(await nav.getByRole("link", { name: "Sign in" }).isVisible()).toBe(true);
    expect(await htmlLang(page)).toBe("en");
    expect(await page.getByRole("heading", { level: 1, name: "Sign in" }).isVisible()).toBe(true);
    expect(await page.getByLabel("Email").isVisible()).toBe(true);

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
    const page = await open("/", { signedIn: true });
    await page.getByRole("link", { name: "Angalia hali ya mfumo" }).click();

    await page.getByRole("heading", { level: 1, name: "Hali ya mfumo" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/status");
    expect(await page.title()).toBe("Hali ya mfumo · Ofisi Mtandao");
    const current = page.getByRole("navigation", { name: "Menyu kuu" }).getByRole("link", { name: "Hali ya mfumo" });
    expect(await current.getAttribute("aria-current")).toBe("page");
  });

  it("answers an unknown address with a not-found page that leads back home", async () => {
    const page = await open("/hakuna-ukurasa-huu", { signedIn: true });

    await page.getByRole("heading", { level: 1, name: "Ukurasa haukupatikana" }).waitFor();
    await page.getByRole("link", { name: "Rudi ukurasa wa mwanzo" }).click();
    await page.getByRole("heading", { level: 1, name: "Ofisi Mtandao" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  });
});
