import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { GetAccountCommand, SESv2Client, SendEmailCommand, type SendEmailCommandInput } from "@aws-sdk/client-sesv2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startLocalMailbox, type LocalMailbox } from "../../../local/mail";
import { LOCAL_AWS } from "../support/engines";

let dataDir: string;
let mailbox: LocalMailbox | undefined;
let ses: SESv2Client | undefined;
const logLines: string[] = [];
const capturingLogger = {
  info: (message: string, attributes: Record<string, unknown>) => void logLines.push(message + JSON.stringify(attributes)),
  warn: (message: string, attributes: Record<string, unknown>) => void logLines.push(message + JSON.stringify(attributes)),
};

async function start(): Promise<{ mailbox: LocalMailbox; ses: SESv2Client }> {
  mailbox = await startLocalMailbox({ dataDir, logger: capturingLogger });
  ses?.destroy();
  ses = new SESv2Client({ ...LOCAL_AWS, endpoint: mailbox.endpoint, maxAttempts: 1 });
  return { mailbox, ses };
}

function otpMail(to: string[], code: string, cc?: string[]): SendEmailCommandInput {
  return {
    FromEmailAddress: "Ofisi Mtandao <no-reply@ofisi.go.tz>",
    Destination: { ToAddresses: to, CcAddresses: cc },
    Content: {
      Simple: {
        Subject: { Data: "Nambari yako ya kuingia" },
        Body: { Text: { Data: `Nambari: ${code}` }, Html: { Data: `<p>Nambari: <b>${code}</b></p>` } },
      },
    },
  };
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "ofisi-mail-"));
  logLines.length = 0;
});

afterEach(async () => {
  await mailbox?.stop();
  mailbox = undefined;
  ses?.destroy();
  ses = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

describe("local mailbox", () => {
  it("stores a message sent with the SES v2 client and finds it by recipient, newest first, ignoring case", async () => {
    const { mailbox, ses } = await start();
    const first = await ses.send(new SendEmailCommand(otpMail(["officer.a@demo.go.tz"], "111111")));
    await ses.send(new SendEmailCommand(otpMail(["registry@demo.go.tz"], "222222", ["Officer A <Officer.A@demo.go.tz>"])));

    expect(first.MessageId).toEqual(expect.any(String));
    const forOfficer = mailbox.list({ to: "OFFICER.A@DEMO.GO.TZ" });
    expect(forOfficer.map((m) => m.text)).toEqual(["Nambari: 222222", "Nambari: 111111"]);
    expect(forOfficer[1]).toMatchObject({
      id: first.MessageId,
      to: ["officer.a@demo.go.tz"],
      from: "Ofisi Mtandao <no-reply@ofisi.go.tz>",
      subject: "Nambari yako ya kuingia",
      html: "<p>Nambari: <b>111111</b></p>",
    });
    expect(Date.parse(forOfficer[1]?.sentAt ?? "")).not.toBeNaN();
    expect(mailbox.list({ to: "registry@demo.go.tz" })).toHaveLength(1);
    expect(mailbox.list({ to: "nobody@demo.go.tz" })).toEqual([]);
    expect(mailbox.list({ limit: 1 }).map((m) => m.text)).toEqual(["Nambari: 222222"]);
  });

  it("keeps its messages across a restart, and clear() empties it for good", async () => {
    const started = await start();
    await started.ses.send(new SendEmailCommand(otpMail(["admin@demo.go.tz"], "333333")));
    await started.mailbox.stop();

    const again = await start();
    expect(again.mailbox.list({ to: "admin@demo.go.tz" }).map((m) => m.text)).toEqual(["Nambari: 333333"]);
    again.mailbox.clear();
    expect(again.mailbox.list()).toEqual([]);
    await again.mailbox.stop();

    const third = await start();
    expect(third.mailbox.list()).toEqual([]);
  });

  it("answers GetAccount as an account that may send", async () => {
    const { ses } = await start();
    const account = await ses.send(new GetAccountCommand({}));
    expect(account.SendingEnabled).toBe(true);
    expect(account.ProductionAccessEnabled).toBe(true);
  });

  it("in failing mode rejects SendEmail and GetAccount, stores nothing, and recovers when switched back", async () => {
    const { mailbox, ses } = await start();
    mailbox.setFailing(true);

    const sending = ses.send(new SendEmailCommand(otpMail(["officer.b@demo.go.tz"], "444444")));
    await expect(sending).rejects.toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    await expect(ses.send(new GetAccountCommand({}))).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
    expect(mailbox.list()).toEqual([]);

    mailbox.setFailing(false);
    await ses.send(new SendEmailCommand(otpMail(["officer.b@demo.go.tz"], "555555")));
    expect(mailbox.list({ to: "officer.b@demo.go.tz" })).toHaveLength(1);
  });

  it("answers a malformed request with 400 BadRequestException and stores nothing", async () => {
    const { mailbox, ses } = await start();

    const noRecipient = ses.send(new SendEmailCommand(otpMail([], "666666")));
    await expect(noRecipient).rejects.toMatchObject({ name: "BadRequestException", $metadata: { httpStatusCode: 400 } });
    const badAddress = ses.send(new SendEmailCommand(otpMail(["not-an-address"], "666666")));
    await expect(badAddress).rejects.toMatchObject({ name: "BadRequestException" });

    const raw = await fetch(`${mailbox.endpoint}/v2/email/outbound-emails`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    expect(raw.status).toBe(400);
    expect(raw.headers.get("x-amzn-errortype")).toBe("BadRequestException");
    expect(await raw.json()).toEqual({ message: expect.any(String) });
    expect(mailbox.list()).toEqual([]);
  });

  it("never writes a message's subject or body to the log", async () => {
    const { ses } = await start();
    await ses.send(new SendEmailCommand(otpMail(["officer.a@demo.go.tz"], "987654")));
    await ses.send(new SendEmailCommand({ ...otpMail(["bad address"], "987654") })).catch(() => undefined);

    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join("\n")).not.toContain("987654");
    expect(logLines.join("\n")).not.toContain("Nambari");
  });
});
