import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../../../components/form";
import { useDateFormat } from "../../../lib/dates";
import { useLetterBox } from "../api/letters";
import { useUserNames } from "../api/people";
import { boxes } from "../api/schemas";
import type { Box, Letter } from "../api/schemas";
import { OverdueBadge, PriorityTag, StatusBadge } from "./letter-badges";

/** The caller's boxes as tabs (links, so each box has its own address and the back button works). */
export function BoxTabs({ current, hrefOf }: { current: Box; hrefOf: (box: Box) => string }) {
  const { t } = useTranslation();
  return (
    <nav className="tabs" aria-label={t("letters.boxes.label")}>
      <ul className="tabs__list">
        {boxes.map((box) => (
          <li key={box}>
            <Link className="tabs__tab" to={hrefOf(box)} aria-current={box === current ? "page" : undefined} data-box={box}>
              {t(`letters.boxes.${box}`)}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** One box: most urgent first, overdue letters marked, more on request. */
export function LetterBox({ box }: { box: Box }) {
  const { t } = useTranslation();
  const list = useLetterBox(box);
  const nameOf = useUserNames();
  const letters = list.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="box-heading">
      <h2 id="box-heading" className="visually-hidden">
        {t(`letters.boxes.${box}`)}
      </h2>
      {list.isPending && (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      )}
      {list.isError && <ErrorAlert error={list.error} />}
      {list.isSuccess && letters.length === 0 && <p className="empty">{t(`letters.boxes.empty.${box}`)}</p>}
      <ul className="record-list">
        {letters.map((letter) => (
          <LetterCard key={letter.id} letter={letter} nameOf={nameOf} showAssignee={box === "awaiting-approval" || box === "handled"} />
        ))}
      </ul>
      {list.hasNextPage && (
        <button type="button" className="button button--secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? t("common.loading") : t("letters.loadMore")}
        </button>
      )}
    </section>
  );
}

function LetterCard({ letter, nameOf, showAssignee }: { letter: Letter; nameOf: (id: string | null | undefined) => string; showAssignee: boolean }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const overdue = letter.overdue && letter.status !== "CLOSED";
  const titleId = `letter-${letter.id}-subject`;
  return (
    <li className="record letter-card" data-overdue={overdue ? true : undefined} aria-labelledby={titleId}>
      <div className="record__head">
        <h3 id={titleId} className="record__title">
          <Link to={`/letters/${encodeURIComponent(letter.id)}`}>{letter.subject}</Link>
        </h3>
        {overdue && <OverdueBadge />}
        <PriorityTag priority={letter.priority} />
      </div>
      <dl className="record__facts">
        <div>
          <dt>{t("letters.reference")}</dt>
          <dd>{letter.reference}</dd>
        </div>
        <div>
          <dt>{t("letters.status.label")}</dt>
          <dd>
            <StatusBadge status={letter.status} />
          </dd>
        </div>
        <div>
          <dt>{t("letters.dueAt")}</dt>
          <dd className={overdue ? "overdue-text" : undefined}>
            <time dateTime={letter.dueAt}>{format.dateTime(letter.dueAt)}</time>
          </dd>
        </div>
        {letter.sender && (
          <div>
            <dt>{t("letters.sender.label")}</dt>
            <dd>{[letter.sender.name, letter.sender.organisation].filter(Boolean).join(", ")}</dd>
          </div>
        )}
        {showAssignee && (
          <div>
            <dt>{t("letters.assignee")}</dt>
            <dd>{nameOf(letter.assigneeId)}</dd>
          </div>
        )}
      </dl>
    </li>
  );
}
