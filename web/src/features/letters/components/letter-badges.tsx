import { useTranslation } from "react-i18next";
import type { LetterStatus, Priority } from "../api/schemas";

export function StatusBadge({ status }: { status: LetterStatus }) {
  const { t } = useTranslation();
  return <span className={`badge badge--status badge--${status.toLowerCase().replace("_", "-")}`}>{t(`letters.status.${status}`)}</span>;
}

/** Overdue is shown in words and colour, never colour alone. */
export function OverdueBadge() {
  const { t } = useTranslation();
  return (
    <span className="badge badge--down">
      <span className="badge__dot" aria-hidden="true" />
      {t("letters.overdue")}
    </span>
  );
}

export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  // The usual priority says nothing worth a tag in a list.
  if (priority === "NORMAL") return null;
  return <span className={`tag tag--priority-${priority.toLowerCase()}`}>{t(`letters.priority.${priority}`)}</span>;
}
