/**
 * The emails of the system: one per notice kind and the daily overdue digest, each in Kiswahili
 * and English, as plain text and HTML. Pure: data in, message out. Every value that came from a
 * user (subjects, names, notes) is escaped in the HTML, and links point into the web app.
 */
import { isEssential, localDate, type DigestEntry, type NotificationKind } from "../core/notifications";
import type { MailMessage } from "../core/otp";

export type { MailMessage };
export type MailLanguage = "sw" | "en";

export interface NoticeLetter {
  id: string;
  reference: string;
  subject: string;
  dueAt: string;
}

export interface NoticeData {
  recipientName: string;
  letter: NoticeLetter;
  /** The agency's timezone, for the due date. */
  timezone: string;
  /** Who took the action; absent for the workflow's own events. */
  actorName?: string | null;
  /** Who holds the letter (escalation). */
  assigneeName?: string | null;
  /** The approver's note (rejected). */
  note?: string | null;
  /** Why it was moved (reassigned). */
  reason?: string | null;
  /** Days past due (overdue, escalation). */
  daysOverdue?: number;
}

export interface DigestData {
  recipientName: string;
  /** The day of the digest, `YYYY-MM-DD` in the agency's timezone. */
  date: string;
  timezone: string;
  own: readonly DigestEntry[];
  department: readonly DigestEntry[];
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c);
}

/** A subject line stays one line, whatever a letter's subject holds. */
function oneLine(value: string): string {
  return [...value].map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f ? " " : c)).join("").replace(/\s+/g, " ").trim();
}

function base(appUrl: string): string {
  return appUrl.replace(/\/+$/, "");
}

export function letterLink(appUrl: string, letterId: string): string {
  return `${base(appUrl)}/letters/${encodeURIComponent(letterId)}`;
}

export function profileLink(appUrl: string): string {
  return `${base(appUrl)}/profile`;
}

const days = (language: MailLanguage, n: number) => (language === "en" ? `${n} ${n === 1 ? "day" : "days"}` : `siku ${n}`);

interface Words {
  greeting: (name: string) => string;
  reference: string;
  subject: string;
  due: string;
  open: string;
  optOut: string;
  signature: string;
}

const WORDS: Record<MailLanguage, Words> = {
  sw: {
    greeting: (name) => `Habari ${name},`,
    reference: "Kumbukumbu",
    subject: "Kichwa",
    due: "Tarehe ya mwisho",
    open: "Fungua barua",
    optOut: "Unaweza kuzima barua pepe za aina hii kwenye wasifu wako:",
    signature: "Ofisi Mtandao",
  },
  en: {
    greeting: (name) => `Hello ${name},`,
    reference: "Reference",
    subject: "Subject",
    due: "Due",
    open: "Open the letter",
    optOut: "You can turn off emails of this kind in your profile:",
    signature: "Ofisi Mtandao",
  },
};

interface NoticeWords {
  subject: (ref: string, d: NoticeData) => string;
  lead: (d: NoticeData) => string;
  /** An extra labelled line: the reason or the note. */
  extra?: (d: NoticeData) => { label: string; value: string } | null;
}

const someone = (language: MailLanguage, name: string | null | undefined) => name ?? (language === "en" ? "Someone" : "Mtu");

const NOTICES: Record<NotificationKind, Record<MailLanguage, NoticeWords>> = {
  newLetter: {
    sw: {
      subject: (ref) => `Barua mpya ya kushughulikia: ${ref}`,
      lead: (d) => (d.actorName ? `${d.actorName} amekutumia barua ya kushughulikia.` : "Umepokea barua ya kushughulikia."),
    },
    en: {
      subject: (ref) => `New letter for action: ${ref}`,
      lead: (d) => (d.actorName ? `${d.actorName} sent you a letter for action.` : "A letter was sent to you for action."),
    },
  },
  reassigned: {
    sw: {
      subject: (ref) => `Barua imehamishiwa kwako: ${ref}`,
      lead: (d) => `${someone("sw", d.actorName)} amekuhamishia barua hii.`,
      extra: (d) => (d.reason ? { label: "Sababu", value: d.reason } : null),
    },
    en: {
      subject: (ref) => `Letter re-assigned to you: ${ref}`,
      lead: (d) => `${someone("en", d.actorName)} re-assigned this letter to you.`,
      extra: (d) => (d.reason ? { label: "Reason", value: d.reason } : null),
    },
  },
  approvalRequested: {
    sw: {
      subject: (ref) => `Barua inasubiri idhini yako: ${ref}`,
      lead: (d) => `${someone("sw", d.actorName)} amewasilisha barua hii kwako ili uidhinishe.`,
    },
    en: {
      subject: (ref) => `Letter awaiting your approval: ${ref}`,
      lead: (d) => `${someone("en", d.actorName)} submitted this letter for your approval.`,
    },
  },
  rejected: {
    sw: {
      subject: (ref) => `Barua haikuidhinishwa: ${ref}`,
      lead: (d) => `${someone("sw", d.actorName)} hakuidhinisha barua hii na ameirudisha kwako.`,
      extra: (d) => (d.note ? { label: "Maelezo", value: d.note } : null),
    },
    en: {
      subject: (ref) => `Letter not approved: ${ref}`,
      lead: (d) => `${someone("en", d.actorName)} did not approve this letter and returned it to you.`,
      extra: (d) => (d.note ? { label: "Note", value: d.note } : null),
    },
  },
  overdue: {
    sw: {
      subject: (ref) => `Barua imechelewa: ${ref}`,
      lead: (d) => `Barua hii imepita tarehe yake ya mwisho kwa ${days("sw", d.daysOverdue ?? 1)}. Tafadhali ishughulikie.`,
    },
    en: {
      subject: (ref) => `Overdue letter: ${ref}`,
      lead: (d) => `This letter is ${days("en", d.daysOverdue ?? 1)} overdue. Please act on it.`,
    },
  },
  escalation: {
    sw: {
      subject: (ref, d) => `Barua iliyochelewa kwa ${someone("sw", d.assigneeName)}: ${ref}`,
      lead: (d) =>
        `Barua hii, iliyo kwa ${someone("sw", d.assigneeName)}, imechelewa kwa ${days("sw", d.daysOverdue ?? 1)}. Imeletwa kwako kama msimamizi wake.`,
    },
    en: {
      subject: (ref, d) => `Overdue letter held by ${someone("en", d.assigneeName)}: ${ref}`,
      lead: (d) =>
        `This letter, held by ${someone("en", d.assigneeName)}, is ${days("en", d.daysOverdue ?? 1)} overdue. It is escalated to you as their supervisor.`,
    },
  },
};

/** The email telling a person of one event on a letter. */
export function renderNotice(kind: NotificationKind, language: MailLanguage, data: NoticeData, appUrl: string): MailMessage {
  const w = WORDS[language];
  const n = NOTICES[kind][language];
  const link = letterLink(appUrl, data.letter.id);
  const due = localDate(new Date(data.letter.dueAt), data.timezone);
  const extra = n.extra?.(data) ?? null;
  const rows: [string, string][] = [
    [w.reference, data.letter.reference],
    [w.subject, data.letter.subject],
    [w.due, due],
  ];
  if (extra) rows.push([extra.label, extra.value]);
  const optOut = isEssential(kind) ? null : `${w.optOut} ${profileLink(appUrl)}`;

  const text = [
    w.greeting(data.recipientName),
    "",
    n.lead(data),
    "",
    ...rows.map(([label, value]) => `${label}: ${value}`),
    "",
    `${w.open}: ${link}`,
    "",
    ...(optOut ? [optOut, ""] : []),
    `-- ${w.signature}`,
    "",
  ].join("\n");

  const html = page(
    language,
    [
      `<p>${escapeHtml(w.greeting(data.recipientName))}</p>`,
      `<p>${escapeHtml(n.lead(data))}</p>`,
      `<table role="presentation" cellpadding="4">${rows
        .map(([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`)
        .join("")}</table>`,
      `<p><a href="${escapeHtml(link)}">${escapeHtml(w.open)}</a></p>`,
      optOut
        ? `<p style="color:#555;font-size:12px">${escapeHtml(w.optOut)} <a href="${escapeHtml(profileLink(appUrl))}">${escapeHtml(profileLink(appUrl))}</a></p>`
        : "",
    ].join(""),
  );
  return { subject: oneLine(n.subject(data.letter.reference, data)), text, html };
}

interface DigestWords {
  subject: (date: string, count: number) => string;
  lead: string;
  own: string;
  department: string;
  overdueBy: (n: number) => string;
  heldBy: string;
}

const DIGEST_WORDS: Record<MailLanguage, DigestWords> = {
  sw: {
    subject: (date, count) => `Barua zilizochelewa ${date}: ${count}`,
    lead: "Hizi ni barua zilizopita tarehe yake ya mwisho na bado hazijashughulikiwa.",
    own: "Barua zako zilizochelewa",
    department: "Barua zilizochelewa katika idara yako",
    overdueBy: (n) => `imechelewa ${days("sw", n)}`,
    heldBy: "Iko kwa",
  },
  en: {
    subject: (date, count) => `Overdue letters on ${date}: ${count}`,
    lead: "These letters are past their due date and still open.",
    own: "Your overdue letters",
    department: "Overdue letters in your department",
    overdueBy: (n) => `${days("en", n)} overdue`,
    heldBy: "Held by",
  },
};

/** The daily digest of overdue letters: the person's own, and for a supervisor the department's. */
export function renderDigest(language: MailLanguage, data: DigestData, appUrl: string): MailMessage {
  const w = WORDS[language];
  const d = DIGEST_WORDS[language];
  const count = data.own.length + data.department.length;
  const sections: { title: string; entries: readonly DigestEntry[]; showHolder: boolean }[] = [];
  if (data.own.length > 0) sections.push({ title: d.own, entries: data.own, showHolder: false });
  if (data.department.length > 0) sections.push({ title: d.department, entries: data.department, showHolder: true });

  const textLines = [w.greeting(data.recipientName), "", d.lead, ""];
  for (const section of sections) {
    textLines.push(`${section.title} (${section.entries.length}):`, "");
    for (const e of section.entries) {
      textLines.push(`- ${e.reference}: ${e.subject}`);
      textLines.push(`  ${d.overdueBy(e.daysOverdue)}${section.showHolder ? `; ${d.heldBy} ${e.assigneeName}` : ""}`);
      textLines.push(`  ${letterLink(appUrl, e.letterId)}`);
    }
    textLines.push("");
  }
  textLines.push(`-- ${w.signature}`, "");

  const htmlSections = sections
    .map((section) => {
      const head = [w.reference, w.subject, language === "en" ? "Overdue" : "Imechelewa", ...(section.showHolder ? [d.heldBy] : [])];
      const rows = section.entries
        .map((e) => {
          const cells = [
            `<a href="${escapeHtml(letterLink(appUrl, e.letterId))}">${escapeHtml(e.reference)}</a>`,
            escapeHtml(e.subject),
            escapeHtml(days(language, e.daysOverdue)),
            ...(section.showHolder ? [escapeHtml(e.assigneeName)] : []),
          ];
          return `<tr>${cells.map((c) => `<td>${c}</td>`).join("")}</tr>`;
        })
        .join("");
      return (
        `<h2 style="font-size:16px">${escapeHtml(section.title)} (${section.entries.length})</h2>` +
        `<table cellpadding="4" border="1" style="border-collapse:collapse"><thead><tr>${head
          .map((h) => `<th align="left">${escapeHtml(h)}</th>`)
          .join("")}</tr></thead><tbody>${rows}</tbody></table>`
      );
    })
    .join("");
  const html = page(language, `<p>${escapeHtml(w.greeting(data.recipientName))}</p><p>${escapeHtml(d.lead)}</p>${htmlSections}`);
  return { subject: oneLine(d.subject(data.date, count)), text: textLines.join("\n"), html };
}

function page(language: MailLanguage, body: string): string {
  return (
    `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><title>Ofisi Mtandao</title></head>` +
    `<body style="font-family:Arial,Helvetica,sans-serif;color:#1b1b1b">${body}` +
    `<p style="color:#555">Ofisi Mtandao</p></body></html>`
  );
}
