import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { horizontalOverflow, phone } from "./support/browser";
import { browserSuite } from "./support/suite";
import { apiToken, signInThroughPage, signOutThroughMenu } from "./support/session";

const suite = browserSuite();

const freshPage = (options: { token?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> => suite.page(options);

const pathname = (page: Page) => new URL(page.url()).pathname;
const nav = (page: Page) => page.getByRole("navigation", { name: "Menyu kuu" });

/** A small, valid one-page PDF whose cross-reference offsets are computed, not guessed. */
function smallPdf(text: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  body += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

/** A date `days` from today in this machine's time zone (the browser's too), as a date picker takes it. */
function dateInDays(days: number): string {
  const date = new Date(Date.now() + days * 24 * 60 * 60 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

describe("registry files and letters in the browser", () => {
  it("registers a letter with a PDF into a new file; the officer accepts it, writes a minute and downloads the PDF", async () => {
    const pdf = smallPdf("Ombi la kibali cha ujenzi");
    const subject = "Ombi la kibali cha ujenzi wa ofisi ya kanda";
    const page = await freshPage();

    // The registry clerk opens a new file.
    await page.goto("/files");
    await signInThroughPage(page, suite.url, "registry@demo.go.tz");
    await page.getByRole("heading", { level: 1, name: "Majalada" }).waitFor();
    await page.getByRole("button", { name: "Fungua jalada jipya" }).click();
    const newFile = page.getByRole("region", { name: "Jalada jipya" });
    await newFile.getByLabel("Jina la jalada").fill("Vibali vya Ujenzi");
    await newFile.getByRole("button", { name: "Fungua jalada" }).click();
    const created = page.getByText(/^Jalada (\S+) limefunguliwa\./);
    await created.waitFor();
    const fileReference = /Jalada (\S+) limefunguliwa/.exec((await created.textContent()) ?? "")?.[1] ?? "";
    expect(fileReference).toMatch(/^DEMO\/ADM\/\d{4}\/\d{4}$/);

    // ... and registers an incoming letter into it, with a PDF, for officer A.
    await nav(page).getByRole("link", { name: "Sajili barua" }).click();
    await page.getByRole("heading", { level: 1, name: "Sajili barua" }).waitFor();
    expect(await page.getByRole("radio", { name: "Inayoingia" }).isChecked()).toBe(true);
    // Nothing is sent while required fields are empty; each says what is missing.
    await page.getByRole("button", { name: "Sajili barua" }).click();
    await page.getByText("Andika jina la mtumaji.").waitFor();
    await page.getByText("Chagua mhusika wa barua.").waitFor();
    expect(await page.getByLabel("Kichwa cha barua").getAttribute("aria-invalid")).toBe("true");

    await page.getByLabel("Kichwa cha barua").fill(subject);
    await page.getByLabel("Jina la mtumaji").fill("Juma Mussa");
    await page.getByLabel("Taasisi ya mtumaji").fill("Kampuni ya Ujenzi Bora");
    await page.getByLabel("Kumbukumbu namba ya mtumaji").fill("KUB/2026/14");
    await page.getByLabel("Tarehe ya barua").fill(dateInDays(-2));
    await page.getByLabel("Muhtasari").fill("Kampuni inaomba kibali cha kujenga ofisi ya kanda.");
    await page.getByLabel("Kipaumbele").selectOption({ label: "Ya juu" });
    await page.getByLabel("Tarehe ya mwisho").fill(dateInDays(7));
    await page.getByPlaceholder("Tafuta jalada kwa namba au jina").fill("ujenzi");
    await page.getByLabel("Jalada", { exact: true }).selectOption({ label: `${fileReference} — Vibali vya Ujenzi` });
    await page.getByPlaceholder("Tafuta kwa jina au barua pepe").fill("Amina");
    await page.getByLabel("Mhusika").selectOption({ label: "Amina Afisa (officer.a@demo.go.tz)" });
    await page.getByLabel("Viambatisho").setInputFiles({ name: "kibali.pdf", mimeType: "application/pdf", buffer: pdf });
    await page.getByText("kibali.pdf").waitFor();
    // A double click registers the letter once (one Idempotency-Key per submission).
    await page.getByRole("button", { name: "Sajili barua" }).dblclick();

    await page.getByRole("heading", { level: 1, name: subject }).waitFor();
    expect(pathname(page)).toMatch(/^\/letters\/[^/]+$/);
    const registered = page.getByText(/^Barua (\S+) imesajiliwa\./);
    await registered.waitFor();
    const letterReference = /Barua (\S+) imesajiliwa/.exec((await registered.textContent()) ?? "")?.[1] ?? "";
    expect(letterReference).toMatch(/^DEMO\/[A-Z]+\/\d{4}\/\d{4,}$/);
    const attachments = page.getByRole("region", { name: "Viambatisho" });
    await attachments.getByRole("button", { name: "Pakua kibali.pdf" }).waitFor();
    // The file's reference is read after the letter itself: wait for it before reading the details.
    await page.locator("dl.details").getByText(fileReference).waitFor();
    const details = await page.locator("dl.details").textContent();
    for (const expected of ["Amina Afisa", "Juma Mussa, Kampuni ya Ujenzi Bora", "KUB/2026/14", fileReference, "Folio 1", "Ya juu"]) {
      expect(details).toContain(expected);
    }

    // The file lists the letter as its only folio.
    await page.getByRole("link", { name: fileReference }).click();
    await page.getByRole("heading", { level: 1, name: "Vibali vya Ujenzi" }).waitFor();
    const folios = page.getByRole("region", { name: "Barua zilizomo (folio)" }).getByRole("listitem");
    expect(await folios.count()).toBe(1);
    const folio = await folios.first().textContent();
    for (const expected of ["Folio 1", letterReference, subject]) expect(folio).toContain(expected);

    await signOutThroughMenu(page, "Rehema Masjala");
    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();

    // Officer A finds the letter among those waiting for action.
    await signInThroughPage(page, suite.url, "officer.a@demo.go.tz");
    await page.getByText("Karibu, Amina Afisa.").waitFor();
    await nav(page).getByRole("link", { name: "Barua", exact: true }).click();
    const forAction = page.getByRole("link", { name: "Zinazosubiri hatua" });
    await expect.poll(() => forAction.getAttribute("aria-current")).toBe("page");
    const card = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: subject }) });
    await card.waitFor();
    expect(await card.textContent()).toContain(letterReference);
    await card.getByRole("link", { name: subject }).click();
    await page.getByRole("heading", { level: 1, name: subject }).waitFor();

    // Accepting moves it to "in progress".
    await page.getByRole("button", { name: "Pokea barua" }).click();
    await page.getByRole("dialog", { name: "Pokea barua" }).getByRole("button", { name: "Pokea barua" }).click();
    await page.locator(".page-head").getByText("Inashughulikiwa").waitFor();
    expect(await page.getByRole("button", { name: "Pokea barua" }).count()).toBe(0);
    const history = page.getByRole("region", { name: "Mienendo ya barua" });
    await history.getByText("Imepokelewa").waitFor();
    expect(await history.textContent()).toContain("na Amina Afisa");

    // A minute, with an empty one refused first.
    const minutes = page.getByRole("region", { name: "Maoni/Dakika" });
    await minutes.getByRole("button", { name: "Hifadhi dakika" }).click();
    await minutes.getByText("Sehemu hii inahitajika.").waitFor();
    await minutes.getByLabel("Andika dakika").fill("Nimepitia ombi; naandaa majibu kwa mkurugenzi.");
    await minutes.getByRole("button", { name: "Hifadhi dakika" }).click();
    await minutes.getByText("Dakika imehifadhiwa.").waitFor();
    const minute = minutes.getByRole("listitem").filter({ hasText: "Nimepitia ombi; naandaa majibu kwa mkurugenzi." });
    await minute.waitFor();
    expect(await minute.textContent()).toContain("Amina Afisa");
    expect(await minutes.getByLabel("Andika dakika").inputValue()).toBe("");

    // The PDF downloads under its own name, byte for byte.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("region", { name: "Viambatisho" }).getByRole("button", { name: "Pakua kibali.pdf" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("kibali.pdf");
    const saved = await download.path();
    expect(Buffer.compare(readFileSync(saved), pdf)).toBe(0);

    // Once accepted, the letter is no longer waiting for action but in progress.
    await page.getByRole("link", { name: "Rudi kwenye barua" }).click();
    await page.getByRole("link", { name: "Zinazoshughulikiwa" }).click();
    await page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: subject }) }).waitFor();
  });

  it("closes a file after confirming, offers it no more for new letters, and reopens it", async () => {
    const page = await freshPage({ token: await apiToken(suite.url, "registry@demo.go.tz") });
    await page.goto("/files?status=OPEN");
    await page.getByRole("link", { name: "Ajira na Watumishi" }).click();
    await page.getByRole("heading", { level: 1, name: "Ajira na Watumishi" }).waitFor();
    const reference = (await page.locator(".page-head__reference").textContent()) ?? "";

    await page.getByRole("button", { name: "Funga jalada" }).click();
    const dialog = page.getByRole("dialog", { name: `Funga jalada ${reference}?` });
    await dialog.getByRole("button", { name: "Funga jalada" }).click();
    await page.locator(".page-head").getByText("Limefungwa").waitFor();

    // Only open files are offered when registering; the open-files filter leaves it out too.
    await page.goto("/letters/new");
    const filePicker = page.getByLabel("Jalada", { exact: true });
    await filePicker.locator("option", { hasText: "Mawasiliano ya Jumla" }).waitFor({ state: "attached" });
    expect(await filePicker.locator("option", { hasText: reference }).count()).toBe(0);
    await page.goto("/files?status=OPEN");
    await page.getByRole("link", { name: "Mawasiliano ya Jumla" }).waitFor();
    expect(await page.getByRole("link", { name: "Ajira na Watumishi" }).count()).toBe(0);

    await page.goto("/files?status=CLOSED");
    await page.getByRole("link", { name: "Ajira na Watumishi" }).click();
    await page.getByRole("button", { name: "Fungua upya jalada" }).click();
    await page.locator(".page-head").getByText("Liko wazi").waitFor();
    await page.getByRole("button", { name: "Funga jalada" }).waitFor();
  });

  it("refuses an attachment of a type the registry does not keep, before anything is sent", async () => {
    const page = await freshPage({ token: await apiToken(suite.url, "registry@demo.go.tz") });
    await page.goto("/letters/new");
    await page.getByLabel("Viambatisho").setInputFiles({ name: "programu.exe", mimeType: "application/octet-stream", buffer: Buffer.from("MZ") });
    await page.getByText("Aina hii ya faili hairuhusiwi.", { exact: false }).waitFor();
    await page.getByRole("button", { name: "Ondoa programu.exe" }).click();
    expect(await page.getByText("programu.exe").count()).toBe(0);
  });

  it("uploads on the letter page, and refuses a file that is not what its name claims", async () => {
    const page = await freshPage({ token: await apiToken(suite.url, "registry@demo.go.tz") });
    await page.goto("/files");
    await page.getByRole("link", { name: "Mawasiliano ya Jumla" }).click();
    await page.getByRole("link", { name: "Mwaliko wa kikao cha wadau wa elimu" }).click();
    await page.getByRole("heading", { level: 1, name: "Mwaliko wa kikao cha wadau wa elimu" }).waitFor();
    const attachments = page.getByRole("region", { name: "Viambatisho" });
    await attachments.getByText("Hakuna viambatisho.").waitFor();

    // Text renamed to .pdf reaches storage, fails the check there, and is not kept.
    await attachments.getByLabel("Pakia kiambatisho").setInputFiles({ name: "si-pdf.pdf", mimeType: "application/pdf", buffer: Buffer.from("hii si PDF") });
    await attachments.getByText("Faili halikukubaliwa", { exact: false }).waitFor();
    expect(await attachments.getByRole("button", { name: "Pakua si-pdf.pdf" }).count()).toBe(0);

    await attachments.getByLabel("Pakia kiambatisho").setInputFiles({ name: "mwaliko.pdf", mimeType: "application/pdf", buffer: smallPdf("Mwaliko") });
    await attachments.getByText("Imepakiwa").waitFor();
    await attachments.getByRole("button", { name: "Pakua mwaliko.pdf" }).waitFor();
  });

  it("shows the inbox and a letter as cards that fit a 375 px wide phone", async () => {
    const page = await freshPage({ token: await apiToken(suite.url, "officer.a@demo.go.tz"), viewport: phone });
    await page.goto("/letters?box=in-progress");
    await page.getByRole("heading", { level: 1, name: "Barua" }).waitFor();
    const firstCard = page.locator(".letter-card").first();
    await firstCard.waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    const box = await firstCard.boundingBox();
    expect(box?.width ?? 0).toBeLessThanOrEqual(375);

    await firstCard.getByRole("link").first().click();
    await page.getByRole("heading", { level: 2, name: "Mienendo ya barua" }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);

    // The re-assignment dialog, with its person picker and reason, stays inside the screen.
    await page.getByRole("region", { name: "Hatua" }).getByRole("button", { name: "Hamishia" }).click();
    const dialog = page.getByRole("dialog", { name: "Hamishia barua kwa mhusika sahihi" });
    await dialog.getByLabel("Sababu").waitFor();
    const shown = await dialog.boundingBox();
    expect(shown?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((shown?.x ?? 0) + (shown?.width ?? 999)).toBeLessThanOrEqual(375);
    expect(await horizontalOverflow(page)).toBe(0);
    await dialog.getByRole("button", { name: "Ghairi" }).click();

    for (const path of ["/files", "/letters/new"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await page.waitForLoadState("networkidle");
      expect(await horizontalOverflow(page), path).toBe(0);
    }

    // A file with its folios.
    await page.goto("/files");
    await page.getByRole("link", { name: "Mawasiliano ya Jumla" }).click();
    await page.getByRole("region", { name: "Barua zilizomo (folio)" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(await horizontalOverflow(page), "file page").toBe(0);
  });
});
