import { SendEmailCommand, type SESv2Client } from "@aws-sdk/client-sesv2";
import type { MailMessage } from "./templates";

/** SES refused this message for good (bad address, rejected content): sending it again cannot help. */
export class MailRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "MailRejectedError";
  }
}

// SES v2 errors that a retry cannot fix; anything else (throttling, 5xx, network) is worth retrying.
const PERMANENT = new Set(["BadRequestException", "MessageRejected", "MailFromDomainNotVerifiedException", "NotFoundException"]);

/** What the senders need of a mailer; tests pass their own. */
export interface MailSender {
  send(to: string, message: MailMessage): Promise<void>;
}

/**
 * Sends one simple message through SES v2 (the local mailbox in the embedded runtime). A
 * permanent refusal becomes `MailRejectedError`; every other failure is thrown as it came, so the
 * caller can retry it.
 */
export class SesMailer implements MailSender {
  constructor(
    private readonly ses: SESv2Client,
    private readonly from: string,
  ) {}

  async send(to: string, message: MailMessage): Promise<void> {
    try {
      await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: "UTF-8" },
              Body: { Text: { Data: message.text, Charset: "UTF-8" }, Html: { Data: message.html, Charset: "UTF-8" } },
            },
          },
        }),
      );
    } catch (error) {
      if (error instanceof Error && PERMANENT.has(error.name)) throw new MailRejectedError(`SES refused the message: ${error.name}`, { cause: error });
      throw error;
    }
  }
}
