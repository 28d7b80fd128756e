import { describe, expect, it } from "vitest";
import type { User } from "../../../functions/core/directory";
import type { IdentityProvider } from "../../../functions/identity/provider";
import { SignInService, type SignInDirectory } from "../../../functions/identity/sign-in";
import { AppError } from "../../../functions/platform/errors";

const T0 = new Date("2026-03-02T08:00:00.000Z");
const active: User = {
  id: "u1",
  agencyId: "a1",
  email: "amina@demo.go.tz",
  name: "Amina",
  departmentId: null,
  roles: ["officer"],
  supervisorId: null,
  language: "sw",
  active: true,
  createdAt: T0.toISOString(),
  updatedAt: T0.toISOString(),
};
const inactive: User = { ...active, id: "u2", email: "former@demo.go.tz", active: false };

const directory: SignInDirectory = {
  agencyIdForDomain: async (domain) => (domain === "demo.go.tz" ? "a1" : undefined),
  findUserByEmail: async (email) => [active, inactive].find((user) => user.email === email),
  getUser: async () => undefined,
  getAgency: async () => undefined,
};

/** A provider whose mail delivery is up or down, recording who was sent a code. */
function provider(mail: "up" | "down") {
  const sent: string[] = [];
  const outage = () => new AppError("UNAVAILABLE", "The sign-in code could not be sent; try again shortly");
  const fake: IdentityProvider = {
    sendCode: async (user) => {
      if (mail === "down") throw outage();
      sent.push(user.email);
    },
    checkDelivery: async () => {
      if (mail === "down") throw outage();
    },
    exchangeCode: async () => null,
  };
  return { fake, sent };
}

function service(identity: IdentityProvider) {
  return new SignInService({ directory, requests: { countRequest: async () => 1 }, provider: identity, clock: () => T0 });
}

/** What the caller sees of a code request: nothing (202) or the error's code and message. */
async function answer(signIn: SignInService, email: string): Promise<string> {
  try {
    await signIn.requestCode(email);
    return "sent";
  } catch (error) {
    return error instanceof AppError ? `${error.status} ${error.code}: ${error.message}` : "500";
  }
}

describe("code requests do not tell who has an account", () => {
  it("sends a code to an active user only, and answers every address of the agency alike", async () => {
    const { fake, sent } = provider("up");
    const signIn = service(fake);
    expect(await answer(signIn, active.email)).toBe("sent");
    expect(await answer(signIn, "nobody@demo.go.tz")).toBe("sent");
    expect(await answer(signIn, inactive.email)).toBe("sent");
    expect(sent).toEqual([active.email]);
  });

  it("answers an unknown or deactivated address exactly like an active user's while mail is down", async () => {
    const signIn = service(provider("down").fake);
    const known = await answer(signIn, active.email);
    expect(known).toMatch(/^503 UNAVAILABLE/);
    expect(await answer(signIn, "nobody@demo.go.tz")).toBe(known);
    expect(await answer(signIn, inactive.email)).toBe(known);
  });

  it("still refuses a domain no agency owns before looking at mail", async () => {
    const signIn = service(provider("down").fake);
    expect(await answer(signIn, "eve@gmail.com")).toMatch(/^403 DOMAIN_NOT_ALLOWED/);
  });
});
