import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../../components/form";
import { useMailbox, type Mail } from "../api/mailbox";
import "../mailbox.css";

/** What the system sent, as the local mailbox kept it: a list, newest first, and the mail chosen. */
export function Mailbox() {
  const { t } = useTranslation();
  const [to, setTo] = useState("");
  const [openId, setOpenId] = useState<string | null>(null);
  const mailbox = useMailbox(to);
  const items = mailbox.data?.items ?? [];
  const open = items.find((mail) => mail.id === openId) ?? null;

  return (
    <div className="mailbox">
      <form className="form" role="search" onSubmit={(event) => event.preventDefault()}>
        <label htmlFor="mailbox-to">{t("mailbox.filterLabel")}</label>
        <input
          id="mailbox-to"
          type="search"
          inputMode="email"
          autoComplete="off"
          placeholder={t("mailbox.filterPlaceholder")}
          value={to}
          onChange={(event) => setTo(event.target.value)}
        />
      </form>
      {mailbox.isError && <ErrorAlert error={mailbox.error} />}
      {mailbox.isPending && (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      )}
      {mailbox.isSuccess && items.length === 0 && <p className="muted">{t("mailbox.empty")}</p>}
      {items.length > 0 && (
        <ul className="mailbox__list" aria-label={t("mailbox.listLabel")}>
          {items.map((mail) => (
            <li key={mail.id}>
              <button
                type="button"
                className="mailbox__item"
                aria-current={mail.id === openId ? "true" : undefined}
                onClick={() => setOpenId(mail.id)}
              >
                <span className="mailbox__subject">{mail.subject}</span>
                <span className="muted">
                  {mail.to.join(", ")} · <time dateTime={mail.sentAt}>{new Date(mail.sentAt).toLocaleString()}</time>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && <OpenMail mail={open} />}
    </div>
  );
}

function OpenMail({ mail }: { mail: Mail }) {
  const { t } = useTranslation();
  return (
    <article className="card mailbox__mail" aria-labelledby="mailbox-open-subject">
      <h2 id="mailbox-open-subject">{mail.subject}</h2>
      <dl className="details">
        <div>
          <dt>{t("mailbox.to")}</dt>
          <dd>{mail.to.join(", ")}</dd>
        </div>
        <div>
          <dt>{t("mailbox.sentAt")}</dt>
          <dd>
            <time dateTime={mail.sentAt}>{new Date(mail.sentAt).toLocaleString()}</time>
          </dd>
        </div>
      </dl>
      {mail.html !== null && (
        <section aria-label={t("mailbox.html")}>
          <h3>{t("mailbox.html")}</h3>
          {/* An empty sandbox: no scripts, no forms, no same-origin access, whatever the mail holds. */}
          <iframe className="mailbox__html" title={t("mailbox.htmlFrame", { subject: mail.subject })} sandbox="" srcDoc={mail.html} />
        </section>
      )}
      {mail.text !== null && (
        <section aria-label={t("mailbox.text")}>
          <h3>{t("mailbox.text")}</h3>
          <pre className="mailbox__text">{mail.text}</pre>
        </section>
      )}
    </article>
  );
}
