import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert, SuccessNote } from "../../../components/form";
import { PageTitle } from "../../../components/page-title";
import { ApiError } from "../../../lib/api";
import { useDateFormat } from "../../../lib/dates";
import { fileQueryOptions } from "../../files/api/files";
import { useLetter } from "../api/letters";
import { useUserNames } from "../api/people";
import type { LetterDetail } from "../api/schemas";
import { LetterActions } from "./letter-actions";
import { LetterAttachments } from "./letter-attachments";
import { OverdueBadge, PriorityTag, StatusBadge } from "./letter-badges";
import { LetterMinutes } from "./letter-minutes";
import { LetterTimeline } from "./letter-timeline";

/** One letter: its details, actions, minutes, attachments and movements. */
export function LetterPage({ id, registered }: { id: string; registered?: string }) {
  const { t } = useTranslation();
  const letter = useLetter(id);
  const nameOf = useUserNames();

  if (letter.isPending) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (letter.isError) {
    const missing = letter.error instanceof ApiError && letter.error.code === "NOT_FOUND";
    return (
      <>
        <PageTitle title={t("letters.notFound")} />
        <h1>{missing ? t("letters.notFound") : t("letters.title")}</h1>
        {missing ? <p>{t("letters.notFoundBody")}</p> : <ErrorAlert error={letter.error} />}
        <p>
          <Link to="/letters">{t("letters.backToInbox")}</Link>
        </p>
      </>
    );
  }

  const data = letter.data;
  return (
    <>
      <PageTitle title={`${data.reference} · ${data.subject}`} />
      <p className="breadcrumb">
        <Link to="/letters">{t("letters.backToInbox")}</Link>
      </p>
      <div className="page-head">
        <p className="page-head__reference">{data.reference}</p>
        <h1>{data.subject}</h1>
        <div className="tags">
          <StatusBadge status={data.status} />
          {data.overdue && data.status !== "CLOSED" && <OverdueBadge />}
          <PriorityTag priority={data.priority} />
        </div>
      </div>
      {registered && <SuccessNote>{t("letters.form.registered", { reference: registered })}</SuccessNote>}

      <section aria-labelledby="letter-details-heading">
        <h2 id="letter-details-heading">{t("letters.details")}</h2>
        <LetterDetails letter={data} nameOf={nameOf} />
      </section>

      <LetterActions letter={data} />

      <section aria-labelledby="letter-minutes-heading">
        <h2 id="letter-minutes-heading">{t("letters.minutes.title")}</h2>
        <LetterMinutes letter={data} nameOf={nameOf} />
      </section>

      <section aria-labelledby="letter-attachments-heading">
        <h2 id="letter-attachments-heading">{t("attachments.title")}</h2>
        <LetterAttachments letter={data} nameOf={nameOf} />
      </section>

      <section aria-labelledby="letter-history-heading">
        <h2 id="letter-history-heading">{t("letters.history.title")}</h2>
        <LetterTimeline history={data.history} nameOf={nameOf} />
      </section>
    </>
  );
}

function LetterDetails({ letter, nameOf }: { letter: LetterDetail; nameOf: (id: string | null | undefined) => string }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  // The file's reference and title; someone who may read the letter but not its file sees the folio only.
  const file = useQuery({ ...fileQueryOptions(letter.fileId ?? ""), enabled: Boolean(letter.fileId), retry: false });
  const sender = letter.sender;

  return (
    <dl className="details">
      <div>
        <dt>{t("letters.reference")}</dt>
        <dd>{letter.reference}</dd>
      </div>
      <div>
        <dt>{t("letters.direction.label")}</dt>
        <dd>{t(`letters.direction.${letter.direction}`)}</dd>
      </div>
      <div>
        <dt>{t("letters.assignee")}</dt>
        <dd>{nameOf(letter.assigneeId)}</dd>
      </div>
      <div>
        <dt>{t("letters.dueAt")}</dt>
        <dd>
          <time dateTime={letter.dueAt}>{format.dateTime(letter.dueAt)}</time>
        </dd>
      </div>
      <div>
        <dt>{t("letters.priority.label")}</dt>
        <dd>{t(`letters.priority.${letter.priority}`)}</dd>
      </div>
      <div>
        <dt>{t("letters.classification.label")}</dt>
        <dd>{t(`letters.classification.${letter.classification}`)}</dd>
      </div>
      <div>
        <dt>{t("letters.requiresApproval")}</dt>
        <dd>{letter.requiresApproval ? t("common.yes") : t("common.no")}</dd>
      </div>
      {letter.approverId && (
        <div>
          <dt>{t("letters.approver")}</dt>
          <dd>{nameOf(letter.approverId)}</dd>
        </div>
      )}
      <div>
        <dt>{t("letters.file")}</dt>
        <dd>
          {letter.fileId ? (
            <>
              {file.data ? <Link to={`/files/${encodeURIComponent(letter.fileId)}`}>{file.data.reference}</Link> : t("letters.fileHidden")}
              {letter.folio !== null && letter.folio !== undefined && ` · ${t("files.folioNumber", { folio: letter.folio })}`}
            </>
          ) : (
            t("letters.noFile")
          )}
        </dd>
      </div>
      <div>
        <dt>{t("letters.registered")}</dt>
        <dd>
          {letter.registeredBy ? `${nameOf(letter.registeredBy)}, ` : ""}
          <time dateTime={letter.createdAt}>{format.dateTime(letter.createdAt)}</time>
        </dd>
      </div>
      {sender && (
        <div className="details__wide">
          <dt>{t("letters.sender.label")}</dt>
          <dd>
            {[sender.name, sender.organisation].filter(Boolean).join(", ")}
            {sender.reference && (
              <>
                <br />
                {t("letters.sender.referenceValue", { reference: sender.reference })}
              </>
            )}
            {sender.date && (
              <>
                <br />
                {t("letters.sender.dateValue", { date: format.calendarDate(sender.date) })}
              </>
            )}
          </dd>
        </div>
      )}
      {letter.summary && (
        <div className="details__wide">
          <dt>{t("letters.summary")}</dt>
          <dd className="preserve-lines">{letter.summary}</dd>
        </div>
      )}
    </dl>
  );
}
