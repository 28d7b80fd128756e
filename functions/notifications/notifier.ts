import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from "aws-lambda";
import type { Agency, User } from "../core/directory";
import type { Letter } from "../core/letters";
import { daysOverdue, noticeFor, noticeKindOf, wantsNotice, type Notice } from "../core/notifications";
import { logger } from "../platform/logger";
import { sendOnce, type SentMailStore } from "../store/sent-mail";
import { MailRejectedError, type MailSender } from "./mailer";
import { renderNotice } from "./templates";

/**
 * Turns history events of the Letters stream into emails (DESIGN.md section 7): new letter for
 * action, re-assigned to you, submitted for your approval, not approved, overdue, escalation.
 * Decoupled from the request that made the change: a mail failure never fails a request or a
 * workflow step. A failed send is reported as a partial batch failure, so the event source
 * mapping (the local poller) retries with backoff and finally hands the record to its on-failure
 * destination. A sent-mail marker per event and recipient makes redelivery harmless.
 */

export interface NotifierDeps {
  letters: { get(agencyId: string, letterId: string): Promise<{ record: Letter } | undefined> };
  directory: {
    getUser(agencyId: string, userId: string): Promise<User | undefined>;
    getAgency(agencyId: string): Promise<Agency | undefined>;
  };
  sentMail: SentMailStore;
  mailer: MailSender;
  appUrl: string;
  now?: () => Date;
  /** How long a claim by a sender that crashed blocks the next attempt. Default 30 s. */
  leaseMs?: number;
}

/** A history event as it arrives on the stream. */
export interface StreamedEvent {
  agencyId: string;
  letterId: string;
  version: number;
  at: string;
  action: string;
  actorId: string;
  assigneeId: string;
  recipientId?: string;
  note?: string;
  reason?: string;
}

export type NoticeOutcome = "ignored" | "no-recipient" | "turned-off" | "stale" | "sent" | "rejected" | "already-sent" | "in-progress";

const LETTER_PK = /^AGENCY#([^#]+)#LETTER#([^#]+)$/;

/** The history event a stream record inserted, or null for any other record (letters, minutes, updates). */
export function historyEventOf(record: DynamoDBRecord): StreamedEvent | null {
  if (record.eventName !== "INSERT") return null;
  const image = record.dynamodb?.NewImage;
  const pk = image?.pk?.S;
  const sk = image?.sk?.S;
  if (!image || !pk || !sk?.startsWith("EVENT#")) return null;
  const match = LETTER_PK.exec(pk);
  if (!match) return null;
  const text = (name: string) => image[name]?.S;
  const version = Number(image.version?.N ?? sk.slice("EVENT#".length));
  const action = text("action");
  const actorId = text("actorId");
  const assigneeId = text("assigneeId");
  if (!action || !actorId || !assigneeId || !Number.isInteger(version)) return null;
  const event: StreamedEvent = {
    agencyId: match[1] ?? "",
    letterId: match[2] ?? "",
    version,
    at: text("at") ?? new Date(0).toISOString(),
    action,
    actorId,
    assigneeId,
  };
  for (const key of ["note", "reason"] as const) {
    const value = text(key);
    if (value !== undefined) event[key] = value;
  }
  // The workflow's escalation names the supervisor to tell (core/letters HistoryEvent.supervisorId).
  const supervisorId = action === "escalate" ? text("supervisorId") : undefined;
  if (supervisorId) event.recipientId = supervisorId;
  return event;
}

export function createNotifier(deps: NotifierDeps) {
  const now = deps.now ?? (() => new Date());
  const leaseMs = deps.leaseMs ?? 30_000;

  /** Sends the event's notice, if it has one and its recipient wants it. Throws when the mail could not be sent. */
  async function notify(event: StreamedEvent): Promise<NoticeOutcome> {
    if (!noticeKindOf(event.action)) return "ignored";
    const stored = await deps.letters.get(event.agencyId, event.letterId);
    if (!stored) return "stale";
    const letter = stored.record;
    const assignee = await deps.directory.getUser(event.agencyId, event.assigneeId);
    const notice: Notice | null = noticeFor(event, {
      approverId: letter.status === "AWAITING_APPROVAL" ? letter.approverId : null,
      assigneeSupervisorId: assignee?.supervisorId ?? null,
    });
    if (!notice) return "no-recipient";
    // Time-based alerts lose their point once the letter is closed or no longer overdue (extended).
    if ((notice.kind === "overdue" || notice.kind === "escalation") && (letter.status === "CLOSED" || !letter.overdue)) return "stale";
    const recipient = notice.recipientId === assignee?.id ? assignee : await deps.directory.getUser(event.agencyId, notice.recipientId);
    if (!recipient || !recipient.active) return "no-recipient";
    if (!wantsNotice(recipient.notifications, notice.kind)) return "turned-off";

    const [agency, actor] = await Promise.all([
      deps.directory.getAgency(event.agencyId),
      event.actorId === "system" ? Promise.resolve(undefined) : deps.directory.getUser(event.agencyId, event.actorId),
    ]);
    const message = renderNotice(
      notice.kind,
      recipient.language,
      {
        recipientName: recipient.name,
        letter: { id: letter.id, reference: letter.reference, subject: letter.subject, dueAt: letter.dueAt },
        timezone: agency?.timezone ?? "Africa/Dar_es_Salaam",
        actorName: actor?.name ?? null,
        assigneeName: assignee?.name ?? null,
        note: event.note ?? null,
        reason: event.reason ?? null,
        daysOverdue: daysOverdue(letter.dueAt, new Date(Date.parse(event.at) || now().getTime())),
      },
      deps.appUrl,
    );
    return sendOnce(
      deps.sentMail,
      event.agencyId,
      { kind: "notice", letterId: event.letterId, version: event.version, userId: recipient.id },
      {
        now: now(),
        leaseMs,
        send: async () => {
          try {
            await deps.mailer.send(recipient.email, message);
            return "sent";
          } catch (error) {
            if (!(error instanceof MailRejectedError)) throw error;
            // Retrying cannot help; the marker records the refusal so it is not tried again.
            logger.error("notification refused by the mail service", { agencyId: event.agencyId, letterId: event.letterId, kind: notice.kind, error: error.message });
            return "rejected";
          }
        },
      },
    );
  }

  /** The Lambda handler: records in order; the first failure stops the batch and is reported. */
  async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    for (const record of event.Records) {
      const history = historyEventOf(record);
      if (!history) continue;
      let outcome: NoticeOutcome;
      try {
        outcome = await notify(history);
      } catch (error) {
        logger.warn("notification not sent; the batch is retried from this event", {
          agencyId: history.agencyId,
          letterId: history.letterId,
          version: history.version,
          action: history.action,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
        // Records after this one are delivered again with it; their markers keep them from going twice.
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? "" }] };
      }
      if (outcome !== "ignored") {
        logger.info("notification handled", { agencyId: history.agencyId, letterId: history.letterId, version: history.version, action: history.action, outcome });
      }
    }
    return { batchItemFailures: [] };
  }

  return { notify, handler };
}
