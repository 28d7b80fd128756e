import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field, SuccessNote } from "../../../components/form";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useCreateDepartment, useDepartments } from "../../directory/api/departments";

const codePattern = /^[A-Z][A-Z0-9]{0,15}$/;

export function DepartmentsAdmin() {
  const { t } = useTranslation();
  const departments = useDepartments();
  return (
    <>
      <section aria-labelledby="departments-list-heading">
        <h2 id="departments-list-heading">{t("departments.listTitle")}</h2>
        {departments.isPending && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )}
        {departments.isError && <ErrorAlert error={departments.error} />}
        {departments.isSuccess && departments.data.length === 0 && <p className="muted">{t("departments.none")}</p>}
        {departments.isSuccess && departments.data.length > 0 && (
          <div className="table-scroll" role="region" aria-labelledby="departments-list-heading" tabIndex={0}>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{t("departments.code")}</th>
                  <th scope="col">{t("departments.name")}</th>
                </tr>
              </thead>
              <tbody>
                {departments.data.map((department) => (
                  <tr key={department.id}>
                    <td>
                      <code>{department.code}</code>
                    </td>
                    <td>{department.name}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <NewDepartmentForm />
    </>
  );
}

function NewDepartmentForm() {
  const { t } = useTranslation();
  const create = useCreateDepartment();
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [localErrors, setLocalErrors] = useState<{ code?: string; name?: string }>({});
  const [created, setCreated] = useState<string | null>(null);
  const server = fieldErrorsFrom(create.error, ["code", "name"] as const);

  function submit(event: FormEvent) {
    event.preventDefault();
    const input = { code: code.trim().toUpperCase(), name: name.trim() };
    const problems: { code?: string; name?: string } = {};
    if (!codePattern.test(input.code)) problems.code = t("departments.codeInvalid");
    if (input.name === "") problems.name = t("form.required");
    setLocalErrors(problems);
    setCreated(null);
    if (problems.code || problems.name) return;
    create.mutate(input, {
      onSuccess: (department) => {
        setCreated(department.name);
        setCode("");
        setName("");
      },
    });
  }

  return (
    <section className="card panel" aria-labelledby="new-department-heading">
      <h2 id="new-department-heading">{t("departments.newTitle")}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field id="department-code" label={t("departments.code")} hint={t("departments.codeHint")} error={localErrors.code ?? server.byField.code}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              maxLength={16}
              value={code}
              onChange={(event) => setCode(event.target.value.toUpperCase())}
            />
          )}
        </Field>
        <Field id="department-name" label={t("departments.name")} error={localErrors.name ?? server.byField.name}>
          {(control) => <input {...control} type="text" autoComplete="off" value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        {create.isError && !server.byField.code && !server.byField.name && <ErrorAlert error={create.error} messages={server.other} />}
        {created && <SuccessNote>{t("departments.created", { name: created })}</SuccessNote>}
        <button type="submit" className="button" disabled={create.isPending}>
          {t("departments.create")}
        </button>
      </form>
    </section>
  );
}
