import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { horizontalOverflow, phone } from "./support/browser";
import { browserSuite } from "./support/suite";

const suite = browserSuite();

async function openOnPhone(path: string): Promise<Page> {
  const page = await suite.page({ viewport: phone });
  await page.goto(path);
  return page;
}

describe("on a 375 px wide phone", () => {
  it("folds the navigation behind a menu button", async () => {
    const page = await openOnPhone("/");
    const menuButton = page.getByRole("button", { name: "Menyu" });
    await menuButton.waitFor();
    const navLink = page.getByRole("link", { name: "Hali ya mfumo", exact: true });

    expect(await menuButton.getAttribute("aria-expanded")).toBe("false");
    expect(await navLink.isVisible()).toBe(false);

    await menuButton.click();
    expect(await menuButton.getAttribute("aria-expanded")).toBe("true");
    await navLink.waitFor();
    expect(await page.getByRole("button", { name: "English" }).isVisible()).toBe(true);

    // Following a link closes the menu again.
    await navLink.click();
    await page.getByRole("heading", { level: 1, name: "Hali ya mfumo" }).waitFor();
    expect(await menuButton.getAttribute("aria-expanded")).toBe("false");
    expect(await navLink.isVisible()).toBe(false);
  });

  it("never scrolls sideways, with the menu closed or open", async () => {
    for (const path of ["/", "/status", "/hakuna"]) {
      const page = await openOnPhone(path);
      await page.getByRole("heading", { level: 1 }).waitFor();
      if (path === "/status") await page.getByText("Huduma zote zinafanya kazi").waitFor();
      expect(await horizontalOverflow(page), path).toBe(0);

      await page.getByRole("button", { name: "Menyu" }).click();
      await page.getByRole("navigation", { name: "Menyu kuu" }).waitFor();
      expect(await horizontalOverflow(page), `${path} with the menu open`).toBe(0);
      await suite.closePages();
    }
  });

  it("switches language from inside the menu", async () => {
    const page = await openOnPhone("/");
    await page.getByRole("button", { name: "Menyu" }).click();
    await page.getByRole("button", { name: "English" }).click();

    await page.getByRole("button", { name: "Menu" }).waitFor();
    await page.getByRole("link", { name: "System status", exact: true }).waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
  });
});
