import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite } from "./support/suite";
import { apiToken } from "./support/session";

const suite = browserSuite();

/** The local mailbox page and the notification choices of the profile, in a real browser. */

async function freshPage(token?: string): Promise<Page> {
  return suite.page({ localStorage: token ? { "ofisi.token": token } : undefined });
}

const nav = (page: Page) => page.getByRole("navigation", { name: /^(Menyu kuu|Main navigation)$/ });

describe("mailbox page (local runtime)", () => {
  it("is in the menu of the local runtime and shows a mail the system sent, its text and its HTML", async () => {
    const email = "registry@demo.go.tz";
    const otp = await fetch(`${suite.url}/api/auth/otp`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ email }),
    });
    expect(otp.status).toBe(202);

    const page = await freshPage();
    await page.goto("/status");
    await nav(page).getByRole("link", { name: "Sanduku la barua pepe" }).click();
    await page.getByRole("heading", { level: 1, name: "Sanduku la barua pepe" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/dev/mailbox");

    await page.getByLabel("Mpokeaji").fill(email);
    const list = page.getByRole("list", { name: "Barua pepe, mpya kwanza" });
    const mail = list.getByRole("button", { name: /Msimbo wako wa kuingia Ofisi Mtandao/ });
    await mail.first().waitFor();
    // Filtered: only mail to the registry.
    for (const text of await list.getByRole("button").allTextContents()) expect(text).toContain(email);
    await mail.first().click();

    const opened = page.getByRole("article");
    await opened.getByRole("heading", { level: 2, name: "Msimbo wako wa kuingia Ofisi Mtandao" }).waitFor();
    expect(await opened.locator("pre").textContent()).toMatch(/Msimbo wako wa kuingia ni: \d{6}/);
    // The HTML is shown in a sandboxed frame: no scripts, no access to the app.
    const frame = opened.locator("iframe");
    expect(await frame.getAttribute("sandbox")).toBe("");
    await page.frameLocator("iframe").getByText("Habari Rehema Masjala,").waitFor();
  });

  it("shows the notice of a new letter to its officer", async () => {
    const registry = await apiToken(suite.url, "registry@demo.go.tz");
    const users = (await (await fetch(`${suite.url}/api/users?q=officer.b`, { headers: { authorization: `Bearer ${registry}` } })).json()) as {
      items: { id: string }[];
    };
    const created = await fetch(`${suite.url}/api/letters`, {
      method: "POST",
      headers: { "Content-Type": "application/json", authorization: `Bearer ${registry}` },
      body: JSON.stringify({ subject: "Mwaliko wa warsha", direction: "INCOMING", assigneeId: users.items[0]?.id, dueInDays: 5 }),
    });
    expect(created.status).toBe(201);
    const { reference } = (await created.json()) as { reference: string };

    const page = await freshPage();
    await page.goto("/dev/mailbox");
    await page.getByLabel("Mpokeaji").fill("officer.b@demo.go.tz");
    // The page refreshes by itself as the notice arrives.
    const notice = page.getByRole("button", { name: new RegExp(`Barua mpya ya kushughulikia: ${reference.replace(/\//g, "\\/")}`) });
    await notice.waitFor({ timeout: 30_000 });
    await notice.click();
    expect(await page.getByRole("article").locator("pre").textContent()).toContain(`${suite.url}/letters/`);
  });
});

describe("notification choices in the profile", () => {
  it("turns an optional email off and keeps the choice", async () => {
    const token = await apiToken(suite.url, "officer.a@demo.go.tz");
    const page = await freshPage(token);
    await page.goto("/profile");
    const choice = page.getByRole("checkbox", { name: "ninapotumiwa barua ya kushughulikia" });
    await choice.waitFor();
    expect(await choice.isChecked()).toBe(true);
    await choice.uncheck();
    await page.getByText("Chaguo zako za taarifa zimehifadhiwa.").waitFor();
    await page.getByText("Vikumbusho vya barua zilizochelewa na taarifa kwa msimamizi hutumwa kila mara.").waitFor();

    await page.reload();
    await choice.waitFor();
    expect(await choice.isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "barua inapohamishiwa kwangu" }).isChecked()).toBe(true);
    const saved = (await (await fetch(`${suite.url}/api/me/notifications`, { headers: { authorization: `Bearer ${token}` } })).json()) as {
      notifications: Record<string, boolean>;
    };
    expect(saved.notifications.newLetter).toBe(false);
  });
});
