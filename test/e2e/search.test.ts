import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { horizontalOverflow, phone } from "./support/browser";
import { browserSuite } from "./support/suite";
import { apiToken } from "./support/session";

const suite = browserSuite();

let registryToken = "";
let officerToken = "";
const letters: Record<string, { id: string; reference: string }> = {};

async function api<T>(path: string, token: string, body?: unknown): Promise<T> {
  const res = await fetch(`${suite.url}/api${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The index follows the tables through the stream poller: wait until a query finds what it should. */
async function searchable(q: string, count: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const page = await api<{ items: unknown[] }>(`/search?q=${encodeURIComponent(q)}`, officerToken);
    if (page.items.length >= count) return;
    if (Date.now() > deadline) throw new Error(`"${q}" found ${page.items.length}, not ${count}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  [registryToken, officerToken] = await Promise.all([apiToken(suite.url, "registry@demo.go.tz"), apiToken(suite.url, "officer.a@demo.go.tz")]);
  const me = await api<{ id: string }>("/me", officerToken);
  const due = new Date(Date.now() + 7 * 86_400_000).toISOString();
  for (const [name, subject] of [
    ["clinic", "Ombi la ukarabati wa zahanati ya Kibaha"],
    ["school", "Taarifa ya ukarabati wa shule ya msingi Kibaha"],
  ] as const) {
    letters[name] = await api("/letters", registryToken, {
      subject,
      direction: "INCOMING",
      assigneeId: me.id,
      classification: "OPEN",
      dueAt: due,
      sender: { name: "Neema Mollel", organisation: "Halmashauri ya Mji Kibaha" },
    });
  }
  await searchable("ukarabati kibaha", 2);
});

async function signedInPage(viewport?: { width: number; height: number }): Promise<Page> {
  return suite.page({ viewport, localStorage: { "ofisi.token": officerToken } });
}

const pathname = (page: Page) => new URL(page.url()).pathname;
const searchBox = (page: Page) => page.getByRole("banner").getByRole("combobox", { name: "Tafuta barua na majalada" });

describe("search in the browser", () => {
  it("suggests letters as you type in the header, with the typed words marked, and opens the one chosen", async () => {
    const page = await signedInPage();
    await page.goto("/");
    await searchBox(page).fill("zahan");
    const option = page.getByRole("option", { name: /Ombi la ukarabati wa zahanati ya Kibaha/ });
    await option.waitFor();
    expect(await option.locator("mark").first().textContent()).toBe("zahanati");
    expect(await page.getByRole("option").count()).toBe(1);
    // Typing on narrows the suggestions; the keyboard picks one and Enter opens it.
    await searchBox(page).fill("ukarabati kiba");
    await page.getByRole("option", { name: /shule ya msingi/ }).waitFor();
    expect(await page.getByRole("option").count()).toBe(2);
    await searchBox(page).press("ArrowDown");
    expect(await page.getByRole("option", { selected: true }).textContent()).toContain("Taarifa ya ukarabati wa shule ya msingi Kibaha");
    await searchBox(page).press("Enter");
    await page.getByRole("heading", { level: 1, name: "Taarifa ya ukarabati wa shule ya msingi Kibaha" }).waitFor();
    expect(pathname(page)).toBe(`/letters/${letters.school?.id}`);
  });

  it("shows all results on the results page, newest first, with filters by kind, status and dates", async () => {
    const page = await signedInPage();
    await page.goto("/letters");
    await searchBox(page).fill("ukarabati");
    await searchBox(page).press("Escape");
    await searchBox(page).press("Enter");
    await page.getByRole("heading", { level: 1, name: "Tafuta" }).waitFor();
    expect(new URL(page.url()).searchParams.get("q")).toBe("ukarabati");
    const results = page.getByRole("region", { name: "Matokeo" }).getByRole("listitem");
    await results.first().waitFor();
    expect(await results.count()).toBe(2);
    expect(await results.nth(0).getByRole("heading").textContent()).toBe("Taarifa ya ukarabati wa shule ya msingi Kibaha");
    expect(await results.nth(0).locator("mark").first().textContent()).toBe("ukarabati");

    await page.getByLabel("Aina").selectOption({ label: "Majalada tu" });
    await page.getByText("Hakuna barua wala jalada linalolingana na utafutaji huu.").waitFor();
    await page.getByLabel("Aina").selectOption({ label: "Barua tu" });
    await page.getByLabel("Hali").selectOption({ label: "Imefungwa" });
    await page.getByText("Hakuna barua wala jalada linalolingana na utafutaji huu.").waitFor();
    await page.getByLabel("Hali").selectOption({ label: "Inasubiri hatua" });
    await results.first().waitFor();
    expect(await results.count()).toBe(2);
    await page.getByLabel("Hadi tarehe").fill("2020-01-01");
    await page.getByText("Hakuna barua wala jalada linalolingana na utafutaji huu.").waitFor();
    // The filters are in the address: a reload shows the same search.
    await page.reload();
    expect(await page.getByLabel("Hadi tarehe").inputValue()).toBe("2020-01-01");

    // A reference number typed whole finds its letter first; the result opens the letter.
    const reference = letters.clinic?.reference ?? "";
    await page.goto(`/search?q=${encodeURIComponent(reference)}`);
    await results.first().waitFor();
    expect(await results.first().getByRole("heading").textContent()).toBe("Ombi la ukarabati wa zahanati ya Kibaha");
    await results.first().getByRole("link").click();
    await page.getByRole("heading", { level: 1, name: "Ombi la ukarabati wa zahanati ya Kibaha" }).waitFor();
  });

  it("marks a letter that has gone overdue, in the results and in the suggestions", async () => {
    const me = await api<{ id: string }>("/me", officerToken);
    const subject = "Madai ya posho la safari ya Mvomero";
    // Due in two seconds: the local workflow's timer flags it, and the index follows the letter.
    const letter = await api<{ id: string }>("/letters", registryToken, {
      subject,
      direction: "INCOMING",
      assigneeId: me.id,
      classification: "OPEN",
      dueAt: new Date(Date.now() + 2_000).toISOString(),
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await api<{ items: { id: string; overdue: boolean }[] }>("/search?q=mvomero", officerToken);
      if (found.items.some((item) => item.id === letter.id && item.overdue)) break;
      if (Date.now() > deadline) throw new Error(`not marked overdue in search: ${JSON.stringify(found.items)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const page = await signedInPage();
    await page.goto("/search?q=mvomero");
    const result = page.getByRole("region", { name: "Matokeo" }).getByRole("listitem").filter({ hasText: subject });
    await result.getByText("Imechelewa").waitFor();
    await searchBox(page).fill("mvomer");
    await page.getByRole("option", { name: /Madai ya posho la safari ya Mvomero.*Imechelewa/ }).waitFor();
  });

  it("fits a phone screen, search box included", async () => {
    const page = await signedInPage(phone);
    await page.goto("/search?q=kibaha");
    await page.getByRole("region", { name: "Matokeo" }).getByRole("listitem").first().waitFor();
    await searchBox(page).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
