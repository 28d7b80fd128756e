import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { horizontalOverflow, phone } from "./support/browser";
import { browserSuite } from "./support/suite";
import { apiToken } from "./support/session";

const suite = browserSuite();

const tokens = new Map<string, string>();

async function tokenOf(email: string): Promise<string> {
  const known = tokens.get(email);
  if (known) return known;
  const token = await apiToken(suite.url, email);
  tokens.set(email, token);
  return token;
}

async function signedInPage(email: string, viewport?: { width: number; height: number }): Promise<Page> {
  return suite.page({ viewport, localStorage: { "ofisi.token": await tokenOf(email) } });
}

async function api<T>(email: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${suite.url}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${await tokenOf(email)}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

/** The number on a dashboard tile, once it shows one. */
async function tile(page: Page, key: string): Promise<number> {
  const count = page.locator(`[data-count="${key}"] .tile__count`);
  await expect.poll(async () => /^\d+$/.test((await count.textContent()) ?? "")).toBe(true);
  return Number(await count.textContent());
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Menyu kuu" });

describe("the dashboard in the browser", () => {
  it("is the home page, and its tiles change as a letter moves", async () => {
    const me = await api<{ id: string }>("officer.a@demo.go.tz", "GET", "/me");
    const page = await signedInPage("officer.a@demo.go.tz");
    await page.goto("/");
    await page.getByText("Karibu, Amina Afisa.").waitFor();
    await page.getByRole("heading", { level: 2, name: "Barua zangu" }).waitFor();
    const before = { forAction: await tile(page, "forAction"), inProgress: await tile(page, "inProgress"), today: await tile(page, "handled-today") };
    expect(await page.getByRole("img", { name: /Barua zilizoshughulikiwa, siku 30 zilizopita/ }).count()).toBe(1);

    // The registry registers a letter for Amina: one more waiting for action.
    const subject = "Ombi la takwimu za robo mwaka";
    const letter = await api<{ id: string }>("registry@demo.go.tz", "POST", "/letters", {
      subject,
      direction: "INCOMING",
      assigneeId: me.id,
      requiresApproval: true,
    });
    await page.reload();
    await expect.poll(() => tile(page, "forAction")).toBe(before.forAction + 1);

    // The tile opens the box; she accepts the letter there.
    await page.locator('[data-count="forAction"]').click();
    await page.waitForURL(/\/letters\?box=for-action$/);
    await page.getByRole("link", { name: subject }).click();
    await page.getByRole("button", { name: "Pokea barua" }).click();
    await page.getByRole("dialog", { name: "Pokea barua" }).getByRole("button", { name: "Pokea barua" }).click();
    await page.locator(".page-head").getByText("Inashughulikiwa").waitFor();

    // Back home: one fewer waiting, one more in progress.
    await nav(page).getByRole("link", { name: "Mwanzo" }).click();
    await expect.poll(() => tile(page, "forAction")).toBe(before.forAction);
    await expect.poll(() => tile(page, "inProgress")).toBe(before.inProgress + 1);

    // She submits it (through the API): handled today goes up, in progress down.
    await api("officer.a@demo.go.tz", "POST", `/letters/${letter.id}/submit`, {});
    await page.reload();
    await expect.poll(() => tile(page, "inProgress")).toBe(before.inProgress);
    await expect.poll(() => tile(page, "handled-today")).toBe(before.today + 1);
  });

  it("keeps the rest of the page working when the dashboard request fails, and recovers on retry", async () => {
    const page = await signedInPage("supervisor@demo.go.tz");
    let failing = true;
    await page.route(/\/api\/dashboard$/, async (route) => {
      if (failing) await route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "UNAVAILABLE", message: "down" } }) });
      else await route.continue();
    });
    await page.goto("/");
    const own = page.locator('[data-tile="dashboard"]');
    await own.getByText("Takwimu za dashibodi hazikupatikana.", { exact: false }).waitFor();
    // The department tile has its own request and still shows its figures.
    const department = page.locator('[data-tile="department"]');
    await department.getByText(/maafisa \d+/).waitFor();
    expect(await page.locator('[data-count="forAction"]').count()).toBe(0);

    failing = false;
    await own.getByRole("button", { name: "Jaribu tena" }).click();
    expect(await tile(page, "awaitingApproval")).toBeGreaterThanOrEqual(0);
    expect(await page.getByText("Takwimu za dashibodi hazikupatikana.", { exact: false }).count()).toBe(0);
  });

  it("gives the supervisor the department table and a report to download, on a 375 px phone", async () => {
    const page = await signedInPage("supervisor@demo.go.tz", phone);
    await page.goto("/dashboard/department");
    await page.getByRole("heading", { level: 1, name: "Dashibodi ya idara" }).waitFor();
    const table = page.getByRole("table", { name: "Maafisa wa idara na takwimu zao" });
    await table.getByRole("rowheader", { name: "Amina Afisa" }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);

    await page.goto("/reports");
    await page.getByRole("heading", { level: 1, name: "Ripoti" }).waitFor();
    await page.getByRole("table", { name: "Barua zilizoshughulikiwa kwa kila afisa" }).getByRole("rowheader", { name: "Amina Afisa" }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Pakua CSV" }).click()]);
    const path = await download.path();
    const { readFile } = await import("node:fs/promises");
    const csv = await readFile(path, "utf8");
    expect(csv.split("\r\n")[0]).toBe("officer,email,department,handled,average_time_to_handle_hours,overdue,handled_late");
    expect(csv).toContain("officer.a@demo.go.tz");
    expect(download.suggestedFilename()).toMatch(/^ripoti-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);

    // A reversed range is refused in the form, before any request.
    await page.getByLabel("Kuanzia tarehe").fill("2026-05-10");
    await page.getByLabel("Hadi tarehe").fill("2026-05-01");
    await page.getByText("Tarehe ya mwisho haiwezi kuwa kabla ya tarehe ya kuanzia.").waitFor();
  });

  it("keeps the department view and reports from an officer", async () => {
    const page = await signedInPage("officer.b@demo.go.tz");
    await page.goto("/reports");
    await page.getByRole("heading", { level: 1, name: "Huna ruhusa" }).waitFor();
    expect(await nav(page).getByRole("link", { name: "Ripoti" }).count()).toBe(0);
  });
});
