import { describe, expect, it } from "vitest";
import {
  OTP_MAX_ATTEMPTS,
  OTP_REQUEST_LIMIT,
  OTP_TTL_MS,
  checkCode,
  generateCode,
  hashCode,
  issueChallenge,
  remoteChallenge,
  requestAllowed,
  requestWindow,
  signInCodeMessage,
  tryVerdict,
  type OtpChallenge,
} from "../../../functions/core/otp";

const T0 = new Date("2026-03-02T08:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
/** The challenge as the store returns it after counting `tries` tries. */
const counted = (challenge: OtpChallenge, tries: number): OtpChallenge => ({ ...challenge, attempts: tries });

describe("one-time codes", () => {
  it("are six digits, each digit from the random source", () => {
    expect(generateCode()).toMatch(/^\d{6}$/);
    const digits = [3, 1, 4, 1, 5, 9];
    expect(generateCode(() => digits.shift() ?? 0)).toBe("314159");
  });

  it("are stored only as a salted hash", () => {
    const { code, challenge } = issueChallenge(T0, { code: "123456", salt: "s1" });
    expect(code).toBe("123456");
    expect(JSON.stringify(challenge)).not.toContain("123456");
    expect(challenge.codeHash).toBe(hashCode("123456", "s1"));
    expect(hashCode("123456", "s2")).not.toBe(challenge.codeHash);
  });

  it("accept the right code within 10 minutes and refuse it from then on", () => {
    const { challenge } = issueChallenge(T0, { code: "123456" });
    expect(challenge.expiresAt).toBe(at(OTP_TTL_MS).toISOString());
    expect(checkCode(counted(challenge, 1), "123456", at(OTP_TTL_MS - 1))).toBe("accepted");
    expect(checkCode(counted(challenge, 1), "123456", at(OTP_TTL_MS))).toBe("expired");
  });

  it("refuse a wrong or malformed code", () => {
    const { challenge } = issueChallenge(T0, { code: "123456" });
    expect(checkCode(counted(challenge, 1), "654321", T0)).toBe("wrong");
    expect(checkCode(counted(challenge, 1), "12345", T0)).toBe("wrong");
    expect(checkCode(undefined, "123456", T0)).toBe("missing");
  });

  it(`accept the right code on the ${OTP_MAX_ATTEMPTS}th try and are void after ${OTP_MAX_ATTEMPTS} wrong tries`, () => {
    const { challenge } = issueChallenge(T0, { code: "123456" });
    expect(checkCode(counted(challenge, OTP_MAX_ATTEMPTS), "123456", T0)).toBe("accepted");
    expect(checkCode(counted(challenge, OTP_MAX_ATTEMPTS + 1), "123456", T0)).toBe("void");
  });

  it("of a remote provider keep its session and the same limits", () => {
    const challenge = remoteChallenge(T0, "cognito-session");
    expect(challenge).toMatchObject({ session: "cognito-session", attempts: 0 });
    expect(challenge.codeHash).toBeUndefined();
    expect(tryVerdict(counted(challenge, 1), T0)).toBe("go");
    expect(tryVerdict(counted(challenge, OTP_MAX_ATTEMPTS + 1), T0)).toBe("void");
    expect(tryVerdict(counted(challenge, 1), at(OTP_TTL_MS))).toBe("expired");
  });
});

describe("code requests per address", () => {
  it(`allow ${OTP_REQUEST_LIMIT.max} per window`, () => {
    expect(requestAllowed(OTP_REQUEST_LIMIT.max)).toBe(true);
    expect(requestAllowed(OTP_REQUEST_LIMIT.max + 1)).toBe(false);
  });

  it("count in fixed windows that start afresh", () => {
    const first = requestWindow(T0);
    expect(requestWindow(at(1)).index).toBe(first.index);
    expect(requestWindow(first.endsAt).index).toBe(first.index + 1);
    expect(first.endsAt.getTime() - T0.getTime()).toBeLessThanOrEqual(OTP_REQUEST_LIMIT.windowMs);
  });
});

describe("the sign-in email", () => {
  it("is in Kiswahili by default and in English when chosen, with the code", () => {
    const sw = signInCodeMessage("sw", "Amina", "123456");
    expect(sw.subject).toBe("Msimbo wako wa kuingia Ofisi Mtandao");
    expect(sw.text).toContain("Msimbo wako wa kuingia ni: 123456");
    expect(sw.text).toContain("dakika 10");
    const en = signInCodeMessage("en", "Amina", "123456");
    expect(en.subject).toBe("Your Ofisi Mtandao sign-in code");
    expect(en.text).toContain("Your sign-in code is: 123456");
  });

  it("escapes the user's name in HTML", () => {
    expect(signInCodeMessage("en", "<b>Eve</b>", "123456").html).toContain("&lt;b&gt;Eve&lt;/b&gt;");
  });
});
