import type { Page } from "playwright-core";

/** The local mailbox of the runtime (`GET /api/dev/mailbox`), newest first. */
async function mailTo(baseUrl: string, email: string): Promise<{ id: string; text: string }[]> {
  const response = await fetch(`${baseUrl}/api/dev/mailbox?to=${encodeURIComponent(email)}`);
  if (!response.ok) throw new Error(`mailbox answered ${response.status}`);
  const body = (await response.json()) as { items: { id: string; text: string }[] };
  return body.items;
}

/** Ids of the mail already delivered to `email`, so that a later code is told apart from an earlier one. */
export async function mailIds(baseUrl: string, email: string): Promise<Set<string>> {
  return new Set((await mailTo(baseUrl, email)).map((mail) => mail.id));
}

/** Waits for a sign-in mail to `email` that is not among `seen`, and returns its 6-digit code. */
export async function newCode(baseUrl: string, email: string, seen: Set<string>, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const fresh = (await mailTo(baseUrl, email)).find((mail) => !seen.has(mail.id));
    const code = fresh?.text.match(/\b(\d{6})\b/)?.[1];
    if (code) return code;
    if (Date.now() > deadline) throw new Error(`no sign-in code reached ${email}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A session token obtained through the API, for tests whose subject is not the sign-in itself. */
export async function apiToken(baseUrl: string, email: string): Promise<string> {
  const seen = await mailIds(baseUrl, email);
  const otp = await fetch(`${baseUrl}/api/auth/otp`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  if (otp.status !== 202) throw new Error(`code request for ${email} answered ${otp.status}`);
  const code = await newCode(baseUrl, email, seen);
  const token = await fetch(`${baseUrl}/api/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email, code }),
  });
  if (token.status !== 200) throw new Error(`token request for ${email} answered ${token.status}`);
  return ((await token.json()) as { token: string }).token;
}

/** Signs in through the login page, in Kiswahili, with the code read from the local mailbox. */
export async function signInThroughPage(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();
  const seen = await mailIds(baseUrl, email);
  await page.getByLabel("Barua pepe").fill(email);
  await page.getByRole("button", { name: "Tuma msimbo" }).click();
  const codeField = page.getByLabel("Msimbo", { exact: true });
  await codeField.waitFor();
  await codeField.fill(await newCode(baseUrl, email, seen));
  await page.getByRole("button", { name: "Ingia", exact: true }).click();
}

/** Signs out through the user menu in the header (whose button carries the user's name). */
export async function signOutThroughMenu(page: Page, name: string, label = "Toka"): Promise<void> {
  const menuButton = page.getByRole("button", { name: "Menyu", exact: true });
  if (await menuButton.isVisible()) await menuButton.click();
  await page.getByRole("banner").getByRole("button", { name: new RegExp(name) }).click();
  await page.getByRole("button", { name: label, exact: true }).click();
}
