import { useState } from "react";
import { useTranslation } from "react-i18next";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { ErrorAlert, Field, SuccessNote } from "../../../components/form";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useMe } from "../../auth/api/me";
import type { User } from "../../directory/api/users";
import { letterChanged, useLetterAction, type ActionRequest } from "../api/letters";
import type { LetterAction, LetterDetail } from "../api/schemas";
import { UserPicker } from "./pickers";

/**
 * The letter's workflow actions: exactly those the API lists in `allowedActions` for the caller
 * (the transition table of DESIGN.md section 4), minutes excepted (their form is with the minutes).
 * Every action asks for confirmation in a dialog that also holds what the action needs (the person,
 * the reason, the note, the new due date). When the letter changed meanwhile (a colleague acted, or
 * the workflow marked it overdue), the API answers CONFLICT or INVALID_TRANSITION; the letter is read
 * again (see `useLetterAction`) and the user is told to check it and try again.
 */
type BarAction = Exclude<LetterAction, "minute">;
type DialogAction = BarAction;
const BAR_ORDER: readonly BarAction[] = ["accept", "submit", "approve", "reject", "complete", "forward", "reassign", "extend"];
type FieldName = "to" | "reason" | "note" | "dueAt";
const FIELDS: readonly FieldName[] = ["to", "reason", "note", "dueAt"];

export function LetterActions({ letter }: { letter: LetterDetail }) {
  const { t } = useTranslation();
  const me = useMe().data;
  const [open, setOpen] = useState<DialogAction | null>(null);
  const [done, setDone] = useState<BarAction | null>(null);
  // Before the API listed allowed actions, the page offered accepting to the assignee of a new letter.
  const allowed = letter.allowedActions ?? (letter.status === "FOR_ACTION" && me !== undefined && me.id === letter.assigneeId ? ["accept"] : []);
  const offered = BAR_ORDER.filter((action) => allowed.includes(action));

  // Nothing to offer: no empty heading.
  if (offered.length === 0 && !done) return null;
  return (
    <section className="letter-actions" aria-labelledby="letter-actions-heading">
      <h2 id="letter-actions-heading">{t("letters.actions.title")}</h2>
      {offered.length > 0 && (
        <div className="form__actions action-bar">
          {offered.map((action) => (
            <button
              key={action}
              type="button"
              className={action === "reject" || action === "extend" ? "button button--secondary" : "button"}
              onClick={() => {
                setDone(null);
                setOpen(action);
              }}
            >
              {t(`letters.actions.${action}`)}
            </button>
          ))}
        </div>
      )}
      {done && <SuccessNote>{t(`letters.actions.done.${done}`)}</SuccessNote>}
      {open && (
        <ActionDialog
          letter={letter}
          action={open}
          onCancel={() => setOpen(null)}
          onDone={() => {
            setDone(open);
            setOpen(null);
          }}
        />
      )}
    </section>
  );
}

/** `YYYY-MM-DDTHH:mm` in the browser's time zone, as `<input type="datetime-local">` takes it. */
function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A week after the later of now and the current due date: a sensible first proposal for an extension. */
function proposedDueDate(letter: LetterDetail): string {
  const base = Math.max(Date.now(), Date.parse(letter.dueAt) || 0);
  return localInputValue(new Date(base + 7 * 24 * 60 * 60 * 1000));
}

function ActionDialog({ letter, action, onCancel, onDone }: { letter: LetterDetail; action: DialogAction; onCancel: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const act = useLetterAction();
  const [to, setTo] = useState<User | null>(null);
  const [reason, setReason] = useState("");
  const [note, setNote] = useState("");
  const [dueAt, setDueAt] = useState(() => proposedDueDate(letter));
  const [errors, setErrors] = useState<Partial<Record<FieldName, string>>>({});
  const server = fieldErrorsFrom(act.error, FIELDS);
  const errorOf = (field: FieldName) => errors[field] ?? server.byField[field];

  function request(): ActionRequest | null {
    const found: Partial<Record<FieldName, string>> = {};
    const base = { id: letter.id, version: letter.version };
    let built: ActionRequest | null = null;
    switch (action) {
      case "forward":
      case "reassign":
        if (!to) found.to = t("letters.actions.errors.choosePerson");
        else if (to.id === letter.assigneeId) found.to = t("letters.actions.errors.samePerson");
        if (action === "reassign" && reason.trim() === "") found.reason = t("form.required");
        if (to && action === "forward") built = { ...base, action, body: { to: to.id } };
        if (to && action === "reassign") built = { ...base, action, body: { to: to.id, reason: reason.trim() } };
        break;
      case "reject":
        if (note.trim() === "") found.note = t("form.required");
        built = { ...base, action, body: { note: note.trim() } };
        break;
      case "extend": {
        const when = new Date(dueAt);
        if (Number.isNaN(when.getTime()) || when.getTime() <= Date.now()) found.dueAt = t("letters.actions.errors.futureDate");
        else built = { ...base, action, body: { dueAt: when.toISOString() } };
        break;
      }
      default:
        built = { ...base, action, body: {} };
    }
    setErrors(found);
    return Object.keys(found).length > 0 ? null : built;
  }

  return (
    <ConfirmDialog
      title={t(`letters.actions.confirm.${action}.title`)}
      confirmLabel={t(`letters.actions.${action}`)}
      busy={act.isPending}
      onCancel={onCancel}
      onConfirm={() => {
        const built = request();
        if (built) act.mutate(built, { onSuccess: onDone });
      }}
    >
      <p>{t(`letters.actions.confirm.${action}.body`, { reference: letter.reference })}</p>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
        }}
      >
        {(action === "forward" || action === "reassign") && (
          <Field id="action-to" label={t(`letters.actions.fields.${action}To`)} error={errorOf("to")}>
            {(control) => <UserPicker control={control} value={to} onChange={setTo} searchLabel={t("letters.actions.fields.searchPerson")} />}
          </Field>
        )}
        {action === "reassign" && (
          <Field id="action-reason" label={t("letters.actions.fields.reason")} hint={t("letters.actions.fields.reasonHint")} error={errorOf("reason")}>
            {(control) => <textarea {...control} rows={3} value={reason} onChange={(event) => setReason(event.target.value)} />}
          </Field>
        )}
        {action === "reject" && (
          <Field id="action-note" label={t("letters.actions.fields.note")} hint={t("letters.actions.fields.noteHint")} error={errorOf("note")}>
            {(control) => <textarea {...control} rows={3} value={note} onChange={(event) => setNote(event.target.value)} />}
          </Field>
        )}
        {action === "extend" && (
          <Field id="action-due" label={t("letters.actions.fields.dueAt")} error={errorOf("dueAt")}>
            {(control) => <input {...control} type="datetime-local" value={dueAt} onChange={(event) => setDueAt(event.target.value)} />}
          </Field>
        )}
      </form>
      {act.isError && <ErrorAlert error={act.error} messages={letterChanged(act.error) ? [t("letters.actions.errors.changed")] : server.other} />}
    </ConfirmDialog>
  );
}
