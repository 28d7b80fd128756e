import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite } from "./support/suite";

const suite = browserSuite();

async function freshPage(localStorage?: Record<string, string>): Promise<Page> {
  return suite.page({ localStorage });
}

const components = ["Hifadhidata", "Hifadhi ya nyaraka", "Mtiririko wa kazi", "Barua pepe", "Utafutaji"];

function componentRow(page: Page, name: string) {
  return page.getByRole("listitem").filter({ has: page.getByText(name, { exact: true }) });
}

const allOk = {
  status: "ok",
  components: { database: "ok", storage: "ok", workflow: "ok", mail: "ok", search: "ok" },
};

describe("system status page", () => {
  it("shows every component of the running system as working", async () => {
    const page = await freshPage();
    await page.goto("/status");

    await page.getByText("Huduma zote zinafanya kazi").waitFor();
    for (const name of components) {
      const row = componentRow(page, name);
      expect(await row.count(), name).toBe(1);
      expect((await row.textContent())?.trim(), name).toBe(`${name}Inafanya kazi`);
    }
    expect(await page.getByText("Haifanyi kazi").count()).toBe(0);
  });

  it("refreshes by itself every 10 seconds and shows a component that went down", async () => {
    const page = await freshPage();
    await page.clock.install();
    let mailDown = false;
    let requests = 0;
    await page.route("**/api/health", async (route) => {
      requests += 1;
      if (!mailDown) return route.continue();
      await route.fulfill({
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ status: "degraded", components: { ...allOk.components, mail: "down" } }),
      });
    });

    await page.goto("/status");
    await page.getByText("Huduma zote zinafanya kazi").waitFor();
    const requestsBefore = requests;

    mailDown = true;
    await page.clock.runFor(10_000);

    await page.getByText("Baadhi ya huduma hazifanyi kazi").waitFor();
    expect(requests).toBe(requestsBefore + 1);
    expect((await componentRow(page, "Barua pepe").textContent())?.trim()).toBe("Barua pepeHaifanyi kazi");
    expect((await componentRow(page, "Hifadhidata").textContent())?.trim()).toBe("HifadhidataInafanya kazi");
  });

  it("tells the user when the status cannot be fetched, and recovers on retry", async () => {
    const page = await freshPage();
    await page.route("**/api/health", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "SERVICE_UNAVAILABLE", message: "down for maintenance" } }),
      }),
    );

    await page.goto("/status");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toContain("Imeshindikana kupata hali ya mfumo.");
    expect(await alert.textContent()).toContain("SERVICE_UNAVAILABLE");

    await page.unroute("**/api/health");
    await alert.getByRole("button", { name: "Jaribu tena" }).click();
    await page.getByText("Huduma zote zinafanya kazi").waitFor();
    expect(await page.getByRole("alert").count()).toBe(0);
  });

  it("shows the status in English when English is chosen", async () => {
    const page = await freshPage({ "ofisi.lang": "en" });
    await page.goto("/status");

    await page.getByRole("heading", { level: 1, name: "System status" }).waitFor();
    await page.getByText("All services are working").waitFor();
    expect((await componentRow(page, "Database").textContent())?.trim()).toBe("DatabaseWorking");
  });

  it("sends a stored sign-in token as a bearer token", async () => {
    const page = await freshPage({ "ofisi.token": "test-token" });
    const request = page.waitForRequest("**/api/health");
    await page.goto("/status");

    expect((await request).headers()["authorization"]).toBe("Bearer test-token");
  });
});
