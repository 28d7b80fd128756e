import { useTranslation } from "react-i18next";
import { ErrorAlert } from "../../../components/form";
import { useMe } from "../../auth/api/me";
import { useLetterAction } from "../api/letters";
import type { LetterDetail } from "../api/schemas";

/**
 * The slot for the letter's workflow actions. Accepting is offered here; forwarding, re-assigning,
 * submitting, approving, rejecting, completing and extending come with their own forms (issue 5).
 * When the API lists the caller's `allowedActions`, that list decides; otherwise accepting is
 * offered to the assignee of a letter waiting for action, as DESIGN.md section 4 says.
 */
export function LetterActions({ letter }: { letter: LetterDetail }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const act = useLetterAction();
  const mayAccept = letter.allowedActions
    ? letter.allowedActions.includes("accept")
    : letter.status === "FOR_ACTION" && me !== undefined && me.id === letter.assigneeId;

  // Nothing to offer yet: no empty heading. The section is the slot the other actions join.
  if (!mayAccept) return null;
  return (
    <section className="letter-actions" aria-labelledby="letter-actions-heading">
      <h2 id="letter-actions-heading">{t("letters.actions.title")}</h2>
      <div className="form__actions">
        {mayAccept && (
          <button
            type="button"
            className="button"
            disabled={act.isPending}
            onClick={() => act.mutate({ id: letter.id, action: "accept", body: {}, version: letter.version })}
          >
            {t("letters.actions.accept")}
          </button>
        )}
      </div>
      {act.isError && <ErrorAlert error={act.error} />}
    </section>
  );
}
