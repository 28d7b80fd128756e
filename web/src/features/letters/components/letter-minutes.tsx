import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field, SuccessNote } from "../../../components/form";
import { useDateFormat } from "../../../lib/dates";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useLetterAction } from "../api/letters";
import type { LetterDetail } from "../api/schemas";

/** The minutes written on a letter, oldest first, and (when the caller may minute it) a form to add one. */
export function LetterMinutes({ letter, nameOf }: { letter: LetterDetail; nameOf: (id: string | null | undefined) => string }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const write = useLetterAction();
  const [text, setText] = useState("");
  const [localError, setLocalError] = useState<string | undefined>();
  const [written, setWritten] = useState(false);
  const server = fieldErrorsFrom(write.error, ["text"] as const);
  const minutes = [...letter.minutes].sort((a, b) => a.version - b.version);

  function submit(event: FormEvent) {
    event.preventDefault();
    setWritten(false);
    if (text.trim() === "") {
      setLocalError(t("form.required"));
      return;
    }
    setLocalError(undefined);
    // No version: a minute adds to the letter and never conflicts with another change.
    write.mutate(
      { id: letter.id, action: "minute", body: { text: text.trim() } },
      {
        onSuccess: () => {
          setText("");
          setWritten(true);
        },
      },
    );
  }

  return (
    <>
      {minutes.length === 0 ? (
        <p className="muted">{t("letters.minutes.none")}</p>
      ) : (
        <ol className="minute-list">
          {minutes.map((minute) => (
            <li key={minute.version} className="minute">
              <p className="minute__meta small">
                <strong>{nameOf(minute.authorId)}</strong> · <time dateTime={minute.at}>{format.dateTime(minute.at)}</time>
              </p>
              <p className="minute__text">{minute.text}</p>
            </li>
          ))}
        </ol>
      )}
      {(letter.allowedActions ? letter.allowedActions.includes("minute") : letter.status !== "CLOSED") && (
        <form className="form" onSubmit={submit} noValidate>
          <Field id="minute-text" label={t("letters.minutes.write")} hint={t("letters.minutes.hint")} error={localError ?? server.byField.text}>
            {(control) => <textarea {...control} rows={4} value={text} onChange={(event) => setText(event.target.value)} />}
          </Field>
          {write.isError && server.byField.text === undefined && <ErrorAlert error={write.error} messages={server.other} />}
          {written && <SuccessNote>{t("letters.minutes.saved")}</SuccessNote>}
          <div className="form__actions">
            <button type="submit" className="button" disabled={write.isPending}>
              {t("letters.minutes.save")}
            </button>
          </div>
        </form>
      )}
    </>
  );
}
