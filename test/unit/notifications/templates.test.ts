import { describe, expect, it } from "vitest";
import { NOTIFICATION_KINDS, type NotificationKind } from "../../../functions/core/notifications";
import { escapeHtml, renderDigest, renderNotice, type MailLanguage, type NoticeData } from "../../../functions/notifications/templates";

const APP = "https://ofisi.example.go.tz/";
const LANGUAGES: MailLanguage[] = ["sw", "en"];

const data: NoticeData = {
  recipientName: "Amina Afisa",
  letter: { id: "letter-1", reference: "DEMO/ADM/2026/0007", subject: "Ombi la vifaa vya ofisi", dueAt: "2026-03-02T21:30:00.000Z" },
  timezone: "Africa/Dar_es_Salaam",
  actorName: "Rehema Masjala",
  assigneeName: "Baraka Afisa",
  note: "Ongeza bajeti",
  reason: "Imetumwa kimakosa",
  daysOverdue: 3,
};

// Words that only the right language uses, per kind: the test fails if a template falls back to the other language.
const SUBJECT_WORDS: Record<NotificationKind, Record<MailLanguage, RegExp>> = {
  newLetter: { sw: /Barua mpya/, en: /New letter for action/ },
  reassigned: { sw: /imehamishiwa kwako/, en: /re-assigned to you/ },
  approvalRequested: { sw: /inasubiri idhini yako/, en: /awaiting your approval/ },
  rejected: { sw: /haikuidhinishwa/, en: /not approved/ },
  overdue: { sw: /imechelewa/, en: /Overdue letter/ },
  escalation: { sw: /iliyochelewa kwa Baraka Afisa/, en: /held by Baraka Afisa/ },
};

describe("notice emails", () => {
  for (const kind of NOTIFICATION_KINDS) {
    for (const language of LANGUAGES) {
      it(`${kind} in ${language}: subject, greeting, letter details and a link, as text and HTML`, () => {
        const mail = renderNotice(kind, language, data, APP);
        expect(mail.subject).toMatch(SUBJECT_WORDS[kind][language]);
        expect(mail.subject).toContain("DEMO/ADM/2026/0007");
        const greeting = language === "sw" ? "Habari Amina Afisa," : "Hello Amina Afisa,";
        for (const body of [mail.text, mail.html]) {
          expect(body).toContain(greeting);
          expect(body).toContain("Ombi la vifaa vya ofisi");
          // The due date in the agency's timezone: 21:30 UTC is already the next day in Dar es Salaam.
          expect(body).toContain("2026-03-03");
          expect(body).toContain("https://ofisi.example.go.tz/letters/letter-1");
        }
        expect(mail.html).toContain('<a href="https://ofisi.example.go.tz/letters/letter-1">');
        expect(mail.html).toContain(`lang="${language}"`);
      });
    }
  }

  it("says who acted, and carries the reason of a re-assignment and the note of a rejection", () => {
    expect(renderNotice("newLetter", "en", data, APP).text).toContain("Rehema Masjala sent you a letter for action.");
    expect(renderNotice("reassigned", "sw", data, APP).text).toContain("Sababu: Imetumwa kimakosa");
    expect(renderNotice("rejected", "en", data, APP).text).toContain("Note: Ongeza bajeti");
    expect(renderNotice("overdue", "en", data, APP).text).toContain("3 days overdue");
    expect(renderNotice("overdue", "sw", { ...data, daysOverdue: 1 }, APP).text).toContain("siku 1");
    expect(renderNotice("overdue", "en", { ...data, daysOverdue: 1 }, APP).text).toContain("1 day overdue");
  });

  it("offers the profile to turn a notice off only for the kinds that may be turned off", () => {
    expect(renderNotice("newLetter", "en", data, APP).text).toContain("https://ofisi.example.go.tz/profile");
    expect(renderNotice("overdue", "en", data, APP).text).not.toContain("/profile");
    expect(renderNotice("escalation", "sw", data, APP).html).not.toContain("/profile");
  });

  it("escapes what users wrote in the HTML and keeps the subject on one line", () => {
    const hostile: NoticeData = {
      ...data,
      recipientName: "<b>Amina</b>",
      actorName: "Eve & \"Co\"",
      letter: { ...data.letter, reference: "REF/1\r\nBcc: x@evil.example", subject: "<script>alert('x')</script>" },
      note: "<img src=x onerror=alert(1)>",
    };
    const mail = renderNotice("rejected", "en", hostile, APP);
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).not.toContain("<img");
    expect(mail.html).not.toContain("<b>Amina");
    expect(mail.html).toContain("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect(mail.html).toContain("Eve &amp; &quot;Co&quot;");
    expect(mail.subject).not.toMatch(/[\r\n]/);
    // The text part is plain text: it keeps the words as written.
    expect(mail.text).toContain("<script>alert('x')</script>");
  });

  it("links to the letter by its id, encoded, without a double slash", () => {
    const mail = renderNotice("newLetter", "en", { ...data, letter: { ...data.letter, id: "a b/c" } }, "http://localhost:5173/");
    expect(mail.text).toContain("http://localhost:5173/letters/a%20b%2Fc");
  });

  it("escapes the five HTML specials", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("digest email", () => {
  const own = [{ letterId: "l1", reference: "DEMO/ADM/2026/0001", subject: "Bajeti <2026>", dueAt: "2026-03-01T07:00:00Z", daysOverdue: 4, assigneeName: "Salim Mkuu" }];
  const department = [
    { letterId: "l2", reference: "DEMO/ADM/2026/0002", subject: "Mkataba", dueAt: "2026-03-03T07:00:00Z", daysOverdue: 2, assigneeName: "Amina Afisa" },
  ];

  for (const language of LANGUAGES) {
    it(`in ${language}: lists each letter with reference, subject, days overdue and link, in sections`, () => {
      const mail = renderDigest(language, { recipientName: "Salim Mkuu", date: "2026-03-05", timezone: "Africa/Dar_es_Salaam", own, department }, APP);
      expect(mail.subject).toMatch(language === "sw" ? /^Barua zilizochelewa 2026-03-05: 2$/ : /^Overdue letters on 2026-03-05: 2$/);
      for (const body of [mail.text, mail.html]) {
        expect(body).toContain("DEMO/ADM/2026/0001");
        expect(body).toContain("DEMO/ADM/2026/0002");
        expect(body).toContain("Amina Afisa");
        expect(body).toContain(language === "sw" ? "siku 4" : "4 days");
        expect(body).toContain(language === "sw" ? "idara yako" : "your department");
      }
      expect(mail.text).toContain("https://ofisi.example.go.tz/letters/l1");
      expect(mail.html).toContain('href="https://ofisi.example.go.tz/letters/l2"');
      expect(mail.html).toContain("Bajeti &lt;2026&gt;");
    });
  }

  it("leaves out the department section for an officer", () => {
    const mail = renderDigest("en", { recipientName: "Amina", date: "2026-03-05", timezone: "UTC", own, department: [] }, APP);
    expect(mail.text).toContain("Your overdue letters (1)");
    expect(mail.text).not.toContain("department");
  });
});
