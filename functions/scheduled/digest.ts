import type { Agency, AgencySettings, User } from "../core/directory";
import type { Letter } from "../core/letters";
import { buildDigests, localDate, type DigestPerson, type OverdueLetter } from "../core/notifications";
import { MailRejectedError, type MailSender } from "../notifications/mailer";
import { renderDigest } from "../notifications/templates";
import { logger } from "../platform/logger";
import type { Page } from "../store/cursor";
import { sendOnce, type SentMailStore } from "../store/sent-mail";

/**
 * The daily overdue digest (DESIGN.md section 7): for one agency, the overdue letters of each
 * user (their overdue box: a Query per user), grouped per officer and per supervisor's
 * department, one email per active person; letters still held by a deactivated user go to their
 * supervisor's department section. A digest marker per person and day, claimed before sending,
 * keeps a person to one digest a day when the job runs twice, even at the same time.
 */

export interface DigestDeps {
  directory: {
    listAgencies(): Promise<Agency[]>;
    getAgency(agencyId: string): Promise<Agency | undefined>;
    getSettings(agencyId: string): Promise<AgencySettings>;
    listUsers(agencyId: string, options: { limit: number; cursor?: string; activeOnly?: boolean }): Promise<Page<User>>;
  };
  letters: { box(agencyId: string, userId: string, box: "overdue", options: { limit: number; cursor?: string }): Promise<Page<Letter>> };
  sentMail: SentMailStore;
  mailer: MailSender;
  appUrl: string;
  now?: () => Date;
  /** A digest claim by a run that crashed blocks other runs this long. Default `DIGEST_LEASE_MS`. */
  leaseMs?: number;
  /** Users whose boxes are read at once. Default 8. */
  concurrency?: number;
}

/**
 * How long a claim on one person's digest keeps other runs off it. A claim covers only that
 * person's send: one SES call, which gives up within about 10 s (two attempts of at most a 1 s
 * connect and a 3 s request, `platform/clients.ts`), then the marker's confirmation. A minute is
 * ample for a live run, and short enough that when a run dies mid-send, the retry that follows
 * (Lambda's asynchronous retries come after about 1 and 3 minutes) takes the claim over and the
 * person still gets the day's digest; a 10-minute lease outlasted them all.
 */
export const DIGEST_LEASE_MS = 60_000;

export interface AgencyDigestSummary {
  agencyId: string;
  agencyCode: string;
  date: string;
  /** People with overdue letters (theirs or their department's). */
  recipients: number;
  sent: number;
  /** Already had today's digest (an earlier or parallel run). */
  skipped: number;
  /** Refused for good by the mail service (bad address). */
  rejected: number;
  /** Not sent because the mail service failed; a later run of the day sends them. */
  failed: number;
}

export interface DigestRunSummary {
  agencies: AgencyDigestSummary[];
  sent: number;
  skipped: number;
  rejected: number;
  failed: number;
}

async function allPages<T>(read: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await read(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

async function mapLimit<T, R>(items: readonly T[], concurrency: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await run(items[index] as T);
    }
  });
  await Promise.all(workers);
  return results;
}

function person(user: User): DigestPerson {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    language: user.language,
    roles: user.roles,
    departmentId: user.departmentId,
    supervisorId: user.supervisorId,
    active: user.active,
  };
}

function overdueLetter(letter: Letter): OverdueLetter {
  return {
    id: letter.id,
    reference: letter.reference,
    subject: letter.subject,
    dueAt: letter.dueAt,
    assigneeId: letter.assigneeId,
    departmentId: letter.departmentId,
  };
}

export function createOverdueDigest(deps: DigestDeps) {
  const clock = deps.now ?? (() => new Date());
  const leaseMs = deps.leaseMs ?? DIGEST_LEASE_MS;
  const concurrency = deps.concurrency ?? 8;

  /** Sends the day's digests of one agency. Mail failures are counted, not thrown, so one bad send does not stop the rest. */
  async function runAgency(agency: Agency): Promise<AgencyDigestSummary> {
    const now = clock();
    const { timezone } = await deps.directory.getSettings(agency.id);
    const date = localDate(now, timezone);
    // Deactivated users too: the letters they still hold are overdue for someone (their supervisor).
    const users = await allPages((cursor) => deps.directory.listUsers(agency.id, { limit: 100, cursor }));
    const boxes = await mapLimit(users, concurrency, (user) =>
      allPages((cursor) => deps.letters.box(agency.id, user.id, "overdue", { limit: 100, cursor })),
    );
    const digests = buildDigests(users.map(person), boxes.flat().map(overdueLetter), now);
    const summary: AgencyDigestSummary = { agencyId: agency.id, agencyCode: agency.code, date, recipients: digests.length, sent: 0, skipped: 0, rejected: 0, failed: 0 };
    await mapLimit(digests, concurrency, async (digest) => {
      const message = renderDigest(
        digest.recipient.language,
        { recipientName: digest.recipient.name, date, timezone, own: digest.own, department: digest.department },
        deps.appUrl,
      );
      try {
        const outcome = await sendOnce(deps.sentMail, agency.id, { kind: "digest", userId: digest.recipient.id, date }, {
          now: clock(),
          leaseMs,
          send: async () => {
            try {
              await deps.mailer.send(digest.recipient.email, message);
              return "sent";
            } catch (error) {
              if (!(error instanceof MailRejectedError)) throw error;
              logger.error("digest refused by the mail service", { agencyId: agency.id, userId: digest.recipient.id, error: error.message });
              return "rejected";
            }
          },
        });
        if (outcome === "sent") summary.sent += 1;
        else if (outcome === "rejected") summary.rejected += 1;
        else summary.skipped += 1;
      } catch (error) {
        summary.failed += 1;
        logger.warn("digest not sent; a later run of the day sends it", {
          agencyId: agency.id,
          userId: digest.recipient.id,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        });
      }
    });
    logger.info("overdue digest run", { ...summary });
    return summary;
  }

  function total(agencies: AgencyDigestSummary[]): DigestRunSummary {
    const sum = (key: "sent" | "skipped" | "rejected" | "failed") => agencies.reduce((n, a) => n + a[key], 0);
    return { agencies, sent: sum("sent"), skipped: sum("skipped"), rejected: sum("rejected"), failed: sum("failed") };
  }

  return {
    runAgency,

    /** One agency now, whatever its digest time (its own schedule fired). Unknown agency: nothing. */
    async runOne(agencyId: string): Promise<DigestRunSummary> {
      const agency = await deps.directory.getAgency(agencyId);
      return total(agency ? [await runAgency(agency)] : []);
    },

    /** Every agency now (`POST /api/dev/digest`). */
    async runAll(): Promise<DigestRunSummary> {
      const agencies = await deps.directory.listAgencies();
      const summaries: AgencyDigestSummary[] = [];
      for (const agency of agencies) summaries.push(await runAgency(agency));
      return total(summaries);
    },
  };
}
