import { useTranslation } from "react-i18next";
import { useDateFormat } from "../../../lib/dates";
import { historyActions } from "../api/schemas";
import type { HistoryEvent } from "../api/schemas";

/** Actions that send the letter to someone, so the timeline says to whom. */
const moves = new Set(["register", "forward", "reassign", "submit", "reject"]);

/** The letter's movements, oldest first: who did what, when, to whom and why. */
export function LetterTimeline({ history, nameOf }: { history: readonly HistoryEvent[]; nameOf: (id: string | null | undefined) => string }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const events = [...history].sort((a, b) => a.version - b.version);
  if (events.length === 0) return <p className="muted">{t("letters.history.none")}</p>;
  return (
    <ol className="timeline">
      {events.map((event) => {
        const known = historyActions.find((action) => action === event.action);
        return (
          <li key={event.version} className="timeline__item">
            <p className="timeline__what">
              <strong>{known ? t(`letters.history.action.${known}`) : event.action}</strong>
              <span className="muted"> · {event.actorId === "system" ? t("letters.history.bySystem") : t("letters.history.by", { name: nameOf(event.actorId) })}</span>
            </p>
            <p className="timeline__when muted small">
              <time dateTime={event.at}>{format.dateTime(event.at)}</time>
            </p>
            {moves.has(event.action) && (
              <p className="timeline__detail">
                {event.previousAssigneeId && event.previousAssigneeId !== event.assigneeId
                  ? t("letters.history.fromTo", { from: nameOf(event.previousAssigneeId), to: nameOf(event.assigneeId) })
                  : t("letters.history.to", { name: nameOf(event.assigneeId) })}
              </p>
            )}
            {event.reason && <p className="timeline__detail">{t("letters.history.reason", { reason: event.reason })}</p>}
            {event.note && <p className="timeline__detail">{t("letters.history.note", { note: event.note })}</p>}
            {event.action === "escalate" && event.supervisorId && <p className="timeline__detail">{t("letters.history.supervisor", { name: nameOf(event.supervisorId) })}</p>}
            {event.action === "extend" && event.dueAt && <p className="timeline__detail">{t("letters.history.newDue", { date: format.dateTime(event.dueAt) })}</p>}
          </li>
        );
      })}
    </ol>
  );
}
