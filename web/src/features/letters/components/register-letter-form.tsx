import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { ErrorAlert, Field, FieldSet } from "../../../components/form";
import { endOfDay, todayInput } from "../../../lib/dates";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useIdempotencyKey } from "../../../lib/idempotency";
import { hasRole, useMe } from "../../auth/api/me";
import type { User } from "../../directory/api/users";
import { attachmentAccept, checkAttachment, uploadAttachment } from "../api/attachments";
import { useRegisterLetter } from "../api/letters";
import type { NewLetter } from "../api/letters";
import { classifications, directions, priorities } from "../api/schemas";
import type { Classification, Direction, Letter, Priority } from "../api/schemas";
import { ChosenFiles, UploadProgress, useTransferErrorText } from "./attachment-uploads";
import type { UploadState } from "./attachment-uploads";
import { FilePicker, UserPicker } from "./pickers";

const fields = [
  "direction",
  "subject",
  "sender.name",
  "sender.organisation",
  "sender.reference",
  "sender.date",
  "summary",
  "classification",
  "priority",
  "dueAt",
  "requiresApproval",
  "fileId",
  "assigneeId",
  "attachments",
] as const;
type FieldName = (typeof fields)[number];

type Values = {
  direction: Direction | "";
  subject: string;
  senderName: string;
  senderOrganisation: string;
  senderReference: string;
  senderDate: string;
  summary: string;
  classification: Classification | "";
  priority: Priority;
  dueDate: string;
  requiresApproval: boolean;
  fileId: string;
  assignee: User | null;
};

const empty: Values = {
  direction: "",
  subject: "",
  senderName: "",
  senderOrganisation: "",
  senderReference: "",
  senderDate: "",
  summary: "",
  classification: "",
  priority: "NORMAL",
  dueDate: "",
  requiresApproval: false,
  fileId: "",
  assignee: null,
};

const orUndefined = (text: string) => (text.trim() === "" ? undefined : text.trim());

/** The request body; empty optional fields are left out so the server's defaults apply. */
function toNewLetter(values: Values, direction: Direction, assigneeId: string): NewLetter {
  const senderName = orUndefined(values.senderName);
  return {
    subject: values.subject.trim(),
    direction,
    assigneeId,
    fileId: orUndefined(values.fileId),
    sender: senderName
      ? {
          name: senderName,
          organisation: orUndefined(values.senderOrganisation),
          reference: orUndefined(values.senderReference),
          date: orUndefined(values.senderDate),
        }
      : undefined,
    summary: orUndefined(values.summary),
    classification: values.classification || undefined,
    priority: values.priority,
    dueAt: values.dueDate ? endOfDay(values.dueDate) : undefined,
    requiresApproval: values.requiresApproval,
  };
}

type Uploads = { letter: Letter; states: UploadState[] };

/**
 * Registering a letter: the registry any letter, officers and supervisors outgoing and internal
 * ones. Attachments are chosen here and uploaded once the letter exists, each with its progress.
 */
export function RegisterLetterForm() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const me = useMe().data;
  const register = useRegisterLetter();
  const keyFor = useIdempotencyKey();
  const transferErrorText = useTransferErrorText();
  const allowed = hasRole(me, "registry") ? directions : directions.filter((direction) => direction !== "INCOMING");
  const [values, setValues] = useState<Values>(() => ({ ...empty, direction: allowed.length === directions.length ? "INCOMING" : "INTERNAL" }));
  const [files, setFiles] = useState<File[]>([]);
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [uploads, setUploads] = useState<Uploads | null>(null);
  const server = fieldErrorsFrom(register.error, fields);
  const errorOf = (field: FieldName) => localErrors[field] ?? server.byField[field];

  function set<K extends keyof Values>(key: K, value: Values[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function validate(): Partial<Record<FieldName, string>> {
    const problems: Partial<Record<FieldName, string>> = {};
    if (!values.direction) problems.direction = t("letters.form.chooseDirection");
    if (values.subject.trim() === "") problems.subject = t("form.required");
    const senderDetails = [values.senderOrganisation, values.senderReference, values.senderDate].some((text) => text.trim() !== "");
    if (values.senderName.trim() === "" && (values.direction === "INCOMING" || senderDetails)) problems["sender.name"] = t("letters.form.senderNameRequired");
    if (values.dueDate && values.dueDate < todayInput()) problems.dueAt = t("letters.form.dueInPast");
    if (!values.assignee) problems.assigneeId = t("letters.form.chooseAssignee");
    if (files.some((file) => "problem" in checkAttachment(file))) problems.attachments = t("attachments.problem.fix");
    return problems;
  }

  async function uploadAll(letter: Letter) {
    const states: UploadState[] = files.map(() => ({ phase: "waiting" }));
    const update = (index: number, state: UploadState) => {
      states[index] = state;
      setUploads({ letter, states: [...states] });
    };
    setUploads({ letter, states: [...states] });
    // One at a time: a phone on a slow line does better with one stream than several competing.
    for (const [index, file] of files.entries()) {
      update(index, { phase: "uploading", fraction: 0 });
      try {
        const stored = await uploadAttachment(letter.id, file, (fraction) => update(index, { phase: "uploading", fraction }));
        update(index, { phase: "done", rejected: stored.status === "REJECTED" ? (stored.reason ?? t("attachments.rejected")) : null });
      } catch (error) {
        update(index, { phase: "failed", message: transferErrorText(error) });
      }
    }
    const allStored = states.every((state) => state.phase === "done" && !state.rejected);
    if (allStored) void navigate(`/letters/${encodeURIComponent(letter.id)}`, { state: { registered: letter.reference } });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (register.isPending || uploads) return;
    const problems = validate();
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0 || !values.direction || !values.assignee) {
      // Move to the first field at fault, so a keyboard or screen-reader user hears what to fix.
      const first = fields.find((field) => problems[field]);
      if (first) document.getElementById(`letter-${first.replace(".", "-")}`)?.focus();
      return;
    }
    const letter = toNewLetter(values, values.direction, values.assignee.id);
    register.mutate({ letter, idempotencyKey: keyFor(letter) }, { onSuccess: (created) => void uploadAll(created) });
  }

  if (uploads) {
    const finished = uploads.states.every((state) => state.phase === "done" || state.phase === "failed");
    return (
      <section className="card panel" aria-labelledby="registered-heading">
        <h2 id="registered-heading">{t("letters.form.registered", { reference: uploads.letter.reference })}</h2>
        <p>{finished ? t("attachments.someFailed") : t("attachments.uploadingAll")}</p>
        {uploads.states.map((state, index) => (
          <UploadProgress key={index} name={files[index]?.name ?? ""} state={state} />
        ))}
        {finished && (
          <p>
            <Link className="button" to={`/letters/${encodeURIComponent(uploads.letter.id)}`}>
              {t("letters.form.openLetter")}
            </Link>
          </p>
        )}
      </section>
    );
  }

  const id = (field: FieldName) => `letter-${field.replace(".", "-")}`;
  const showGeneralError = register.isError && fields.every((field) => server.byField[field] === undefined);

  return (
    <form className="form form--wide" onSubmit={submit} noValidate>
      <FieldSet id={id("direction")} legend={t("letters.direction.label")} error={errorOf("direction")}>
        {allowed.map((direction, index) => (
          <label key={direction} className="choice">
            <input
              id={index === 0 ? id("direction") : undefined}
              type="radio"
              name="letter-direction"
              value={direction}
              checked={values.direction === direction}
              onChange={() => set("direction", direction)}
            />
            {t(`letters.direction.${direction}`)}
          </label>
        ))}
      </FieldSet>

      <Field id={id("subject")} label={t("letters.subject")} error={errorOf("subject")}>
        {(control) => <input {...control} type="text" autoComplete="off" value={values.subject} onChange={(event) => set("subject", event.target.value)} />}
      </Field>

      <fieldset className="fieldset-group">
        <legend>{t("letters.sender.label")}</legend>
        <Field
          id={id("sender.name")}
          label={t("letters.sender.name")}
          hint={values.direction === "INCOMING" ? undefined : t("letters.form.optional")}
          error={errorOf("sender.name")}
        >
          {(control) => <input {...control} type="text" autoComplete="off" value={values.senderName} onChange={(event) => set("senderName", event.target.value)} />}
        </Field>
        <Field id={id("sender.organisation")} label={t("letters.sender.organisation")} error={errorOf("sender.organisation")}>
          {(control) => (
            <input {...control} type="text" autoComplete="off" value={values.senderOrganisation} onChange={(event) => set("senderOrganisation", event.target.value)} />
          )}
        </Field>
        <div className="field-row">
          <Field id={id("sender.reference")} label={t("letters.sender.reference")} error={errorOf("sender.reference")}>
            {(control) => (
              <input {...control} type="text" autoComplete="off" value={values.senderReference} onChange={(event) => set("senderReference", event.target.value)} />
            )}
          </Field>
          <Field id={id("sender.date")} label={t("letters.sender.date")} error={errorOf("sender.date")}>
            {(control) => <input {...control} type="date" value={values.senderDate} onChange={(event) => set("senderDate", event.target.value)} />}
          </Field>
        </div>
      </fieldset>

      <Field id={id("summary")} label={t("letters.summary")} hint={t("letters.form.optional")} error={errorOf("summary")}>
        {(control) => <textarea {...control} rows={4} value={values.summary} onChange={(event) => set("summary", event.target.value)} />}
      </Field>

      <div className="field-row">
        <Field id={id("classification")} label={t("letters.classification.label")} error={errorOf("classification")}>
          {(control) => (
            <select {...control} value={values.classification} onChange={(event) => set("classification", classifications.find((c) => c === event.target.value) ?? "")}>
              <option value="">{t("letters.classification.default")}</option>
              {classifications.map((classification) => (
                <option key={classification} value={classification}>
                  {t(`letters.classification.${classification}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field id={id("priority")} label={t("letters.priority.label")} error={errorOf("priority")}>
          {(control) => (
            <select {...control} value={values.priority} onChange={(event) => set("priority", priorities.find((p) => p === event.target.value) ?? "NORMAL")}>
              {priorities.map((priority) => (
                <option key={priority} value={priority}>
                  {t(`letters.priority.${priority}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>

      <Field id={id("dueAt")} label={t("letters.dueAt")} hint={t("letters.form.dueHint")} error={errorOf("dueAt")}>
        {(control) => <input {...control} type="date" min={todayInput()} value={values.dueDate} onChange={(event) => set("dueDate", event.target.value)} />}
      </Field>

      <div className="field" data-invalid={errorOf("requiresApproval") ? true : undefined}>
        <label className="choice">
          <input
            id={id("requiresApproval")}
            type="checkbox"
            checked={values.requiresApproval}
            onChange={(event) => set("requiresApproval", event.target.checked)}
          />
          {t("letters.requiresApproval")}
        </label>
        {errorOf("requiresApproval") && <p className="field__error">{errorOf("requiresApproval")}</p>}
      </div>

      <Field id={id("fileId")} label={t("letters.file")} hint={t("letters.form.fileHint")} error={errorOf("fileId")}>
        {(control) => <FilePicker control={control} value={values.fileId} onChange={(fileId) => set("fileId", fileId)} searchLabel={t("letters.form.searchFile")} />}
      </Field>

      <Field id={id("assigneeId")} label={t("letters.assignee")} hint={t("letters.form.assigneeHint")} error={errorOf("assigneeId")}>
        {(control) => <UserPicker control={control} value={values.assignee} onChange={(user) => set("assignee", user)} searchLabel={t("letters.form.searchPerson")} />}
      </Field>

      <Field id={id("attachments")} label={t("attachments.title")} hint={t("attachments.hint")} error={errorOf("attachments")}>
        {(control) => (
          <input
            {...control}
            type="file"
            multiple
            accept={attachmentAccept}
            onChange={(event) => {
              const chosen = [...(event.target.files ?? [])];
              setFiles((current) => [...current, ...chosen]);
              // Clearing the input lets the same file be chosen again after removing it.
              event.target.value = "";
            }}
          />
        )}
      </Field>
      <ChosenFiles files={files} onRemove={(index) => setFiles((current) => current.filter((_, i) => i !== index))} />

      {showGeneralError && <ErrorAlert error={register.error} messages={server.other} />}
      <div className="form__actions">
        <button type="submit" className="button" disabled={register.isPending}>
          {register.isPending ? t("letters.form.registering") : t("letters.form.submit")}
        </button>
      </div>
    </form>
  );
}
