import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { horizontalOverflow, htmlLang, phone } from "./support/browser";
import { browserSuite } from "./support/suite";
import { apiToken, mailIds, newCode, signInThroughPage, signOutThroughMenu } from "./support/session";

const suite = browserSuite();

const freshPage = (options: { token?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> => suite.page(options);

const pathname = (page: Page) => new URL(page.url()).pathname;
const nav = (page: Page) => page.getByRole("navigation", { name: /^(Menyu kuu|Main navigation)$/ });

describe("identity and administration in the browser", () => {
  it("lets the operator onboard an agency whose administrator then adds a department and an officer, who signs in", async () => {
    const page = await freshPage();

    // The operator asks for the agencies page, signs in with the mailed code and lands there.
    await page.goto("/operator/agencies");
    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();
    expect(pathname(page)).toBe("/login");
    await signInThroughPage(page, suite.url, "operator@ofisi.go.tz");
    await page.getByRole("heading", { level: 1, name: "Taasisi" }).waitFor();
    expect(pathname(page)).toBe("/operator/agencies");
    expect(await nav(page).getByRole("link", { name: "Watumiaji" }).count()).toBe(0);

    const onboard = page.getByRole("region", { name: "Sajili taasisi mpya" });
    await onboard.getByLabel("Msimbo wa taasisi").fill("maji");
    await onboard.getByLabel("Jina la taasisi").fill("Wizara ya Maji");
    await onboard.getByLabel("Vikoa vya barua pepe").fill("maji.go.tz,\nmaji.tz");
    await onboard.getByLabel("Saa za eneo (si lazima)").fill("Africa/Dar_es_Salaam");
    await onboard.getByLabel("Barua pepe ya msimamizi").fill("admin@maji.go.tz");
    await onboard.getByLabel("Jina la msimamizi").fill("Neema Mwamba");
    await onboard.getByRole("button", { name: "Sajili taasisi" }).click();
    await onboard.getByText("Taasisi Wizara ya Maji imesajiliwa.").waitFor();
    const agency = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Wizara ya Maji" }) });
    await agency.waitFor();
    expect(await agency.textContent()).toContain("maji.go.tz, maji.tz");
    expect(await agency.textContent()).toContain("MAJI");

    await signOutThroughMenu(page, "Mwendeshaji wa Mfumo");
    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();

    // The new agency's administrator signs in and sees the administration pages, not the operator's.
    await signInThroughPage(page, suite.url, "admin@maji.go.tz");
    await page.getByText("Karibu, Neema Mwamba.").waitFor();
    expect(pathname(page)).toBe("/");
    expect(await nav(page).getByRole("link", { name: "Taasisi" }).count()).toBe(0);

    await nav(page).getByRole("link", { name: "Idara" }).click();
    await page.getByRole("heading", { level: 1, name: "Idara" }).waitFor();
    await page.getByText("Bado hakuna idara.").waitFor();
    await page.getByLabel("Msimbo wa idara").fill("hud");
    await page.getByLabel("Jina la idara").fill("Huduma kwa Wateja");
    await page.getByRole("button", { name: "Ongeza idara" }).click();
    await page.getByRole("cell", { name: "Huduma kwa Wateja" }).waitFor();
    expect(await page.getByRole("cell", { name: "HUD", exact: true }).count()).toBe(1);

    await nav(page).getByRole("link", { name: "Watumiaji" }).click();
    await page.getByRole("heading", { level: 1, name: "Watumiaji" }).waitFor();
    await page.getByRole("button", { name: "Ongeza mtumiaji" }).click();
    const form = page.getByRole("region", { name: "Mtumiaji mpya" });
    await form.getByLabel("Barua pepe").fill("juma.afisa@maji.go.tz");
    await form.getByLabel("Jina kamili").fill("Juma Afisa");
    await form.getByLabel("Idara").selectOption({ label: "Huduma kwa Wateja (HUD)" });
    expect(await form.getByRole("checkbox", { name: "Afisa" }).isChecked()).toBe(true);
    // An agency administrator cannot grant the platform operator role.
    expect(await form.getByRole("checkbox", { name: "Mwendeshaji" }).count()).toBe(0);
    await form.getByLabel("Msimamizi wa kazi").selectOption({ label: "Neema Mwamba (admin@maji.go.tz)" });
    await form.getByLabel("Lugha").selectOption({ label: "English" });
    await form.getByRole("button", { name: "Ongeza mtumiaji" }).click();
    await page.getByText("Juma Afisa ameongezwa.").waitFor();
    const officerRow = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Juma Afisa" }) });
    expect(await officerRow.textContent()).toContain("juma.afisa@maji.go.tz");
    expect(await officerRow.textContent()).toContain("Huduma kwa Wateja");

    await signOutThroughMenu(page, "Neema Mwamba");
    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();

    // The officer signs in: the interface follows the language of their profile (English).
    await signInThroughPage(page, suite.url, "juma.afisa@maji.go.tz");
    await page.getByText("Welcome, Juma Afisa.").waitFor();
    expect(await htmlLang(page)).toBe("en");
    expect(await nav(page).getByRole("link", { name: "Users" }).count()).toBe(0);
    const header = page.getByRole("banner");
    await header.getByRole("button", { name: /Juma Afisa/ }).click();
    await header.getByRole("link", { name: "My profile" }).click();
    await page.getByRole("heading", { level: 1, name: "My profile" }).waitFor();
    const details = page.locator("dl.details");
    await details.getByText("Huduma kwa Wateja (HUD)").waitFor();
    const text = await details.textContent();
    for (const expected of ["Juma Afisa", "juma.afisa@maji.go.tz", "MAJI", "Officer"]) expect(text).toContain(expected);

    // Choosing Kiswahili on the profile switches the interface and is saved to the profile.
    await page.getByRole("radio", { name: "Kiswahili" }).click();
    await page.getByRole("heading", { level: 1, name: "Wasifu wangu" }).waitFor();
    await page.getByText("Lugha imehifadhiwa kwenye wasifu wako.").waitFor();
    expect(await page.locator("dl.details").textContent()).toContain("Afisa");
    // Even if this browser remembers English, the profile decides once the user is signed in.
    await page.evaluate("window.localStorage.setItem('ofisi.lang', 'en')");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Wasifu wangu" }).waitFor();
    expect(await htmlLang(page)).toBe("sw");
  });

  it("tells the user when the code is wrong, and signs in with the right one", async () => {
    const page = await freshPage();
    await page.goto("/login");
    const seen = await mailIds(suite.url, "registry@demo.go.tz");
    await page.getByLabel("Barua pepe").fill("registry@demo.go.tz");
    await page.getByRole("button", { name: "Tuma msimbo" }).click();
    const code = await newCode(suite.url, "registry@demo.go.tz", seen);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");

    await page.getByLabel("Msimbo", { exact: true }).fill(wrong);
    await page.getByRole("button", { name: "Ingia", exact: true }).click();
    await page.getByText("Msimbo si sahihi au muda wake umekwisha.", { exact: false }).waitFor();
    expect(await page.getByLabel("Msimbo", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect(pathname(page)).toBe("/login");

    // Too short a code is caught before it is sent.
    await page.getByLabel("Msimbo", { exact: true }).fill("123");
    await page.getByRole("button", { name: "Ingia", exact: true }).click();
    await page.getByText("Msimbo una tarakimu 6.").waitFor();

    await page.getByLabel("Msimbo", { exact: true }).fill(code);
    await page.getByRole("button", { name: "Ingia", exact: true }).click();
    await page.getByText("Karibu, Rehema Masjala.").waitFor();
  });

  it("refuses an address of a domain that no agency owns", async () => {
    const page = await freshPage();
    await page.goto("/login");
    await page.getByLabel("Barua pepe").fill("mtu@gmail.com");
    await page.getByRole("button", { name: "Tuma msimbo" }).click();
    await page.getByText("Barua pepe hii si ya taasisi iliyosajiliwa.", { exact: false }).waitFor();
    expect(await page.getByLabel("Msimbo", { exact: true }).count()).toBe(0);
  });

  it("returns to the login page on sign-out, and protected pages then redirect to it", async () => {
    const page = await freshPage({ token: await apiToken(suite.url, "supervisor@demo.go.tz") });
    await page.goto("/profile");
    await page.getByRole("heading", { level: 1, name: "Wasifu wangu" }).waitFor();
    const roles = await page.locator("dl.details").textContent();
    expect(roles).toContain("Msimamizi");
    expect(roles).toContain("Afisa");

    await signOutThroughMenu(page, "Salim Mkuu");
    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();
    expect(pathname(page)).toBe("/login");
    expect(await page.evaluate("window.localStorage.getItem('ofisi.token')")).toBeNull();

    for (const path of ["/", "/profile", "/admin/users", "/operator/agencies"]) {
      await page.goto(path);
      await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();
      expect(pathname(page), path).toBe("/login");
    }
    // The status page stays public.
    await page.goto("/status");
    await page.getByRole("heading", { level: 1, name: "Hali ya mfumo" }).waitFor();
  });

  it("sends a user whose token the server refuses back to sign in, then to the page they asked for", async () => {
    const page = await freshPage({ token: "not-a-valid-token" });
    await page.goto("/profile");
    await page.getByRole("heading", { level: 1, name: "Ingia" }).waitFor();
    expect(await page.evaluate("window.localStorage.getItem('ofisi.token')")).toBeNull();

    await signInThroughPage(page, suite.url, "officer.a@demo.go.tz");
    await page.getByRole("heading", { level: 1, name: "Wasifu wangu" }).waitFor();
    expect(pathname(page)).toBe("/profile");
  });

  it("keeps the administration pages from users who are not administrators", async () => {
    const page = await freshPage({ token: await apiToken(suite.url, "officer.b@demo.go.tz") });
    await page.goto("/");
    await page.getByText("Karibu, Baraka Afisa.").waitFor();
    for (const name of ["Watumiaji", "Idara", "Mipangilio", "Taasisi"]) {
      expect(await nav(page).getByRole("link", { name }).count(), name).toBe(0);
    }
    await page.goto("/admin/users");
    await page.getByRole("heading", { level: 1, name: "Huna ruhusa" }).waitFor();
    expect(await page.getByRole("button", { name: "Ongeza mtumiaji" }).count()).toBe(0);
  });

  describe("as the demo agency's administrator", () => {
    let adminToken: string;
    beforeAll(async () => {
      adminToken = await apiToken(suite.url, "admin@demo.go.tz");
    });

    it("deactivates and reactivates a user, each after confirming", async () => {
      const page = await freshPage({ token: adminToken });
      await page.goto("/admin/users");
      const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Baraka Afisa" }) });
      await row.waitFor();

      await row.getByRole("button", { name: "Zima akaunti ya Baraka Afisa" }).click();
      const dialog = page.getByRole("dialog", { name: "Zima akaunti ya Baraka Afisa?" });
      await dialog.waitFor();
      // Cancelling changes nothing.
      await dialog.getByRole("button", { name: "Ghairi" }).click();
      expect(await page.getByRole("dialog").count()).toBe(0);
      expect(await row.getByText("Amezimwa").count()).toBe(0);

      await row.getByRole("button", { name: "Zima akaunti ya Baraka Afisa" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Zima akaunti" }).click();
      await row.getByText("Amezimwa").waitFor();

      // A deactivated user cannot sign in: the code request is answered, but no code arrives.
      const seen = await mailIds(suite.url, "officer.b@demo.go.tz");
      const otp = await fetch(`${suite.url}/api/auth/otp`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "officer.b@demo.go.tz" }),
      });
      expect(otp.status).toBe(202);
      expect((await mailIds(suite.url, "officer.b@demo.go.tz")).size).toBe(seen.size);

      await row.getByRole("button", { name: "Washa akaunti ya Baraka Afisa" }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Washa akaunti" }).click();
      await row.getByRole("button", { name: "Zima akaunti ya Baraka Afisa" }).waitFor();
      expect(await row.getByText("Amezimwa").count()).toBe(0);
    });

    it("changes a user's roles and finds users by search", async () => {
      const page = await freshPage({ token: adminToken });
      await page.goto("/admin/users");
      const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Rehema Masjala" }) });
      await row.getByRole("button", { name: "Hariri Rehema Masjala" }).click();
      await row.getByRole("checkbox", { name: "Msimamizi", exact: true }).check();
      await row.getByRole("button", { name: "Hifadhi" }).click();
      await row.getByRole("button", { name: "Hariri Rehema Masjala" }).waitFor();
      expect(await row.locator(".tag").allTextContents()).toEqual(["Masjala", "Msimamizi"]);

      await page.getByLabel("Tafuta kwa jina au barua pepe").fill("Amina");
      await page.getByRole("heading", { name: "Rehema Masjala" }).waitFor({ state: "detached" });
      await page.getByRole("heading", { name: "Amina Afisa" }).waitFor();
      expect(await page.locator(".record-list > .record").count()).toBe(1);
    });

    it("validates the settings in the browser and shows the server's objections next to the field", async () => {
      const page = await freshPage({ token: adminToken });
      await page.goto("/admin/settings");
      const digest = page.getByLabel("Muda wa muhtasari wa kila siku");
      await digest.waitFor();

      await digest.fill("25:00");
      await page.getByLabel("Siku za kushughulikia barua").fill("0");
      await page.getByRole("button", { name: "Hifadhi" }).click();
      await page.getByText("Andika muda kwa mfumo wa saa 24", { exact: false }).waitFor();
      await page.getByText("Andika namba kamili kati ya 1 na 365.").waitFor();
      expect(await digest.getAttribute("aria-invalid")).toBe("true");

      await digest.fill("06:45");
      await page.getByLabel("Siku za kushughulikia barua").fill("10");
      // Only the server knows every time zone: its answer appears under the field.
      await page.getByLabel("Saa za eneo").fill("Mars/Olympus_Mons");
      await page.getByRole("button", { name: "Hifadhi" }).click();
      const timezone = page.getByLabel("Saa za eneo");
      await page.locator("#settings-timezone-error").waitFor();
      expect(await timezone.getAttribute("aria-invalid")).toBe("true");

      await timezone.fill("Africa/Nairobi");
      await page.getByRole("button", { name: "Hifadhi" }).click();
      await page.getByText("Mipangilio imehifadhiwa.").waitFor();
      await page.reload();
      await page.getByLabel("Muda wa muhtasari wa kila siku").waitFor();
      expect(await page.getByLabel("Muda wa muhtasari wa kila siku").inputValue()).toBe("06:45");
      expect(await page.getByLabel("Siku za kushughulikia barua").inputValue()).toBe("10");
      expect(await page.getByLabel("Saa za eneo").inputValue()).toBe("Africa/Nairobi");
    });

    it("fits the administration pages on a 375 px phone", async () => {
      const page = await freshPage({ token: adminToken, viewport: phone });
      for (const [path, heading] of [
        ["/admin/users", "Watumiaji"],
        ["/admin/departments", "Idara"],
        ["/admin/settings", "Mipangilio"],
        ["/profile", "Wasifu wangu"],
      ] as const) {
        await page.goto(path);
        await page.getByRole("heading", { level: 1, name: heading }).waitFor();
        await page.getByText("Inapakia…").first().waitFor({ state: "detached" });
        expect(await horizontalOverflow(page), path).toBe(0);
      }
      // The user menu with sign-out sits inside the folded menu.
      await page.getByRole("button", { name: "Menyu", exact: true }).click();
      await page.getByRole("banner").getByRole("button", { name: /Asha Msimamizi/ }).click();
      expect(await page.getByRole("button", { name: "Toka" }).isVisible()).toBe(true);
      expect(await horizontalOverflow(page)).toBe(0);
    });
  });
});
