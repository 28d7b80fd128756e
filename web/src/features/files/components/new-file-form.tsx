import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field } from "../../../components/form";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useIdempotencyKey } from "../../../lib/idempotency";
import { useDepartments } from "../../directory/api/departments";
import { classifications } from "../../letters/api/schemas";
import type { Classification } from "../../letters/api/schemas";
import { useCreateFile } from "../api/files";
import type { NewFile, RegistryFile } from "../api/files";

const fields = ["title", "departmentId", "classification", "description"] as const;
type FieldName = (typeof fields)[number];

/** Opening a registry file for a department (registry and administrators). */
export function NewFileForm({ onCreated, onCancel }: { onCreated: (file: RegistryFile) => void; onCancel: () => void }) {
  const { t } = useTranslation();
  const departments = useDepartments().data ?? [];
  const create = useCreateFile();
  const keyFor = useIdempotencyKey();
  const [title, setTitle] = useState("");
  const [chosenDepartment, setDepartmentId] = useState("");
  const [classification, setClassification] = useState<Classification>("RESTRICTED");
  const [description, setDescription] = useState("");
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  const server = fieldErrorsFrom(create.error, fields);
  const errorOf = (field: FieldName) => localErrors[field] ?? server.byField[field];
  // With a single department there is nothing to choose.
  const departmentId = chosenDepartment || (departments.length === 1 ? (departments[0]?.id ?? "") : "");

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Partial<Record<FieldName, string>> = {};
    if (title.trim() === "") problems.title = t("form.required");
    if (departmentId === "") problems.departmentId = t("form.chooseDepartment");
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const file: NewFile = { title: title.trim(), departmentId, classification, description: description.trim() || undefined };
    create.mutate({ file, idempotencyKey: keyFor(file) }, { onSuccess: onCreated });
  }

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field id="file-title" label={t("files.titleField")} error={errorOf("title")}>
        {(control) => <input {...control} type="text" autoComplete="off" value={title} onChange={(event) => setTitle(event.target.value)} />}
      </Field>
      <Field id="file-department" label={t("files.department")} error={errorOf("departmentId")}>
        {(control) => (
          <select {...control} value={departmentId} onChange={(event) => setDepartmentId(event.target.value)}>
            <option value="">{t("users.chooseDepartment")}</option>
            {departments.map((department) => (
              <option key={department.id} value={department.id}>
                {department.name} ({department.code})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="file-classification" label={t("letters.classification.label")} error={errorOf("classification")}>
        {(control) => (
          <select {...control} value={classification} onChange={(event) => setClassification(classifications.find((c) => c === event.target.value) ?? "RESTRICTED")}>
            {classifications.map((value) => (
              <option key={value} value={value}>
                {t(`letters.classification.${value}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id="file-description" label={t("files.description")} hint={t("letters.form.optional")} error={errorOf("description")}>
        {(control) => <textarea {...control} rows={3} value={description} onChange={(event) => setDescription(event.target.value)} />}
      </Field>
      {create.isError && fields.every((field) => server.byField[field] === undefined) && <ErrorAlert error={create.error} messages={server.other} />}
      <div className="form__actions">
        <button type="submit" className="button" disabled={create.isPending}>
          {t("files.create")}
        </button>
        <button type="button" className="button button--secondary" onClick={onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
