import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserSuite } from "./support/suite";
import { apiToken } from "./support/session";

const suite = browserSuite();

/** A signed-in page of one person (each person in their own browser context). */
async function pageOf(email: string): Promise<Page> {
  return suite.page({ localStorage: { "ofisi.token": await apiToken(suite.url, email) } });
}

const actions = (page: Page) => page.getByRole("region", { name: "Hatua" });

async function actionNames(page: Page): Promise<string[]> {
  if ((await actions(page).count()) === 0) return [];
  return (await actions(page).getByRole("button").allTextContents()).map((name) => name.trim());
}

describe("the letter workflow in the browser", () => {
  it("a misrouted letter is re-assigned by its wrong recipient to the right officer, who submits it, and the supervisor approves it", async () => {
    // The registry sends the letter to officer B by mistake.
    const registry = await apiToken(suite.url, "registry@demo.go.tz");
    const me = async (email: string) =>
      ((await (await fetch(`${suite.url}/api/me`, { headers: { authorization: `Bearer ${await apiToken(suite.url, email)}` } })).json()) as { id: string }).id;
    const subject = "Ombi la mafunzo ya TEHAMA kwa watumishi";
    const created = await fetch(`${suite.url}/api/letters`, {
      method: "POST",
      headers: { authorization: `Bearer ${registry}`, "content-type": "application/json" },
      body: JSON.stringify({ subject, direction: "INCOMING", sender: { name: "Chuo cha Utumishi" }, assigneeId: await me("officer.b@demo.go.tz"), requiresApproval: true }),
    });
    expect(created.status).toBe(201);
    const letter = (await created.json()) as { id: string; reference: string };

    // Officer B: not theirs. Re-assigning asks for the right person and a reason, then for confirmation.
    const b = await pageOf("officer.b@demo.go.tz");
    await b.goto(`/letters/${letter.id}`);
    await b.getByRole("heading", { level: 1, name: subject }).waitFor();
    expect(await actionNames(b)).toEqual(["Pokea barua", "Peleka", "Hamishia"]);
    await actions(b).getByRole("button", { name: "Hamishia" }).click();
    const dialog = b.getByRole("dialog", { name: "Hamishia barua kwa mhusika sahihi" });
    await dialog.getByRole("button", { name: "Hamishia" }).click();
    await dialog.getByText("Chagua mtu.").waitFor();
    await dialog.getByText("Sehemu hii inahitajika.").waitFor();
    await dialog.getByPlaceholder("Tafuta kwa jina au barua pepe").fill("Amina");
    await dialog.getByLabel("Mhusika sahihi").selectOption({ label: "Amina Afisa (officer.a@demo.go.tz)" });
    await dialog.getByLabel("Sababu").fill("Imeletwa kwangu kimakosa; ni ya kitengo cha Amina.");
    await dialog.getByRole("button", { name: "Hamishia" }).click();
    await b.getByText("Barua imehamishiwa mhusika sahihi.").waitFor();
    expect(await b.getByRole("dialog").count()).toBe(0);
    const details = b.locator("dl.details");
    await details.getByText("Amina Afisa").waitFor();
    // Officer B may still read it (they held it) but has nothing left to do with it.
    expect(await actionNames(b)).toEqual([]);

    // Officer A accepts it and submits it for approval.
    const a = await pageOf("officer.a@demo.go.tz");
    await a.goto(`/letters/${letter.id}`);
    await a.getByRole("heading", { level: 1, name: subject }).waitFor();
    const history = a.getByRole("region", { name: "Mienendo ya barua" });
    const hop = history.getByRole("listitem").filter({ hasText: "Imehamishiwa mhusika mwingine" });
    expect(await hop.textContent()).toContain("Imeletwa kwangu kimakosa; ni ya kitengo cha Amina.");
    expect(await hop.textContent()).toContain("Baraka Afisa");
    await actions(a).getByRole("button", { name: "Pokea barua" }).click();
    await a.getByRole("dialog", { name: "Pokea barua" }).getByRole("button", { name: "Pokea barua" }).click();
    await a.locator(".page-head").getByText("Inashughulikiwa").waitFor();
    // Approval is required, so there is no "complete"; submitting asks first, and may be cancelled.
    expect(await actionNames(a)).toEqual(["Wasilisha kwa idhini", "Peleka", "Hamishia"]);
    await actions(a).getByRole("button", { name: "Wasilisha kwa idhini" }).click();
    await a.getByRole("dialog", { name: "Wasilisha kwa idhini" }).getByRole("button", { name: "Ghairi" }).click();
    expect(await a.getByRole("dialog").count()).toBe(0);
    await actions(a).getByRole("button", { name: "Wasilisha kwa idhini" }).click();
    await a.getByRole("dialog", { name: "Wasilisha kwa idhini" }).getByRole("button", { name: "Wasilisha kwa idhini" }).click();
    await a.locator(".page-head").getByText("Inasubiri idhini").waitFor();
    expect(await actionNames(a)).toEqual([]);

    // The supervisor approves it; the letter is closed.
    const s = await pageOf("supervisor@demo.go.tz");
    await s.goto(`/letters/${letter.id}`);
    await s.getByRole("heading", { level: 1, name: subject }).waitFor();
    expect(await actionNames(s)).toEqual(["Idhinisha", "Kataa", "Ongeza muda"]);
    await actions(s).getByRole("button", { name: "Idhinisha" }).click();
    await s.getByRole("dialog", { name: "Idhinisha barua" }).getByRole("button", { name: "Idhinisha" }).click();
    await s.locator(".page-head").getByText("Imefungwa").waitFor();
    await s.getByText("Barua imeidhinishwa.").waitFor();
    const movements = (await s.getByRole("region", { name: "Mienendo ya barua" }).getByRole("listitem").allTextContents()).join("\n");
    for (const step of ["Imesajiliwa", "Imehamishiwa mhusika mwingine", "Imepokelewa", "Imewasilishwa kwa idhini", "Imeidhinishwa"]) {
      expect(movements).toContain(step);
    }
  });
  it("tells the officer when the letter changed while the page was open, shows its new state, and the next try works", async () => {
    const registry = await apiToken(suite.url, "registry@demo.go.tz");
    const officer = await apiToken(suite.url, "officer.a@demo.go.tz");
    const officerId = ((await (await fetch(`${suite.url}/api/me`, { headers: { authorization: `Bearer ${officer}` } })).json()) as { id: string }).id;
    const subject = "Taarifa ya robo mwaka ya mapato";
    const send = (path: string, body: unknown) =>
      fetch(`${suite.url}/api${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${registry}`, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const created = await send("/letters", { subject, direction: "INCOMING", assigneeId: officerId, dueInDays: 3 });
    expect(created.status).toBe(201);
    const letter = (await created.json()) as { id: string };

    const a = await pageOf("officer.a@demo.go.tz");
    await a.goto(`/letters/${letter.id}`);
    await a.getByRole("heading", { level: 1, name: subject }).waitFor();
    // Meanwhile the registry gives the letter more time: the open page now holds an old version.
    const newDue = new Date(Date.now() + 20 * 24 * 60 * 60 * 1000);
    expect((await send(`/letters/${letter.id}/extend`, { dueAt: newDue.toISOString() })).status).toBe(200);

    await actions(a).getByRole("button", { name: "Pokea barua" }).click();
    const dialog = a.getByRole("dialog", { name: "Pokea barua" });
    await dialog.getByRole("button", { name: "Pokea barua" }).click();
    await dialog.getByText("Barua hii imebadilika tangu ulipoifungua", { exact: false }).waitFor();
    // The page read the letter again: its movements show the extension it had missed.
    await a.getByRole("region", { name: "Mienendo ya barua" }).getByRole("listitem").filter({ hasText: "Muda umeongezwa" }).waitFor();
    await dialog.getByRole("button", { name: "Pokea barua" }).click();
    await a.locator(".page-head").getByText("Inashughulikiwa").waitFor();
    expect(await a.getByRole("dialog").count()).toBe(0);
  });
});
