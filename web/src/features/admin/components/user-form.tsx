import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field, FieldSet } from "../../../components/form";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { languages } from "../../../lib/i18n";
import type { Language } from "../../../lib/i18n";
import { roles } from "../../../lib/roles";
import type { Role } from "../../../lib/roles";
import type { Department } from "../../directory/api/departments";
import type { User } from "../../directory/api/users";

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const fields = ["email", "name", "departmentId", "roles", "supervisorId", "language"] as const;
type FieldName = (typeof fields)[number];

export type UserFormValues = {
  email: string;
  name: string;
  departmentId: string;
  roles: Role[];
  supervisorId: string | null;
  language: Language;
};

/**
 * The fields of a user, for creating one (with the address) or changing one (without: the address
 * is the sign-in identity and stays). Supervisors are chosen among the agency's active users.
 */
export function UserForm({
  idPrefix,
  initial,
  withEmail,
  departments,
  supervisors,
  grantable,
  submitLabel,
  pending,
  error,
  onSubmit,
  onCancel,
}: {
  idPrefix: string;
  initial: UserFormValues;
  withEmail: boolean;
  departments: readonly Department[];
  supervisors: readonly User[];
  grantable: readonly Role[];
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (values: UserFormValues) => void;
  onCancel?: () => void;
}) {
  const { t } = useTranslation();
  const [values, setValues] = useState(initial);
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  const server = fieldErrorsFrom(error, fields);
  const errorOf = (field: FieldName) => localErrors[field] ?? server.byField[field];
  const id = (field: FieldName) => `${idPrefix}-${field}`;

  function set<K extends keyof UserFormValues>(key: K, value: UserFormValues[K]) {
    setValues((current) => ({ ...current, [key]: value }));
  }

  function toggleRole(role: Role, on: boolean) {
    setValues((current) => ({
      ...current,
      roles: on ? roles.filter((r) => r === role || current.roles.includes(r)) : current.roles.filter((r) => r !== role),
    }));
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems: Partial<Record<FieldName, string>> = {};
    if (withEmail && !emailPattern.test(values.email.trim())) problems.email = t("form.emailInvalid");
    if (values.name.trim() === "") problems.name = t("form.required");
    if (values.departmentId === "") problems.departmentId = t("form.chooseDepartment");
    if (values.roles.length === 0) problems.roles = t("form.chooseRole");
    setLocalErrors(problems);
    if (Object.keys(problems).length > 0) return;
    onSubmit({ ...values, email: values.email.trim().toLowerCase(), name: values.name.trim() });
  }

  const showGeneralError = error !== null && error !== undefined && fields.every((field) => server.byField[field] === undefined);

  return (
    <form className="form" onSubmit={submit} noValidate>
      {withEmail && (
        <Field id={id("email")} label={t("users.email")} hint={t("users.emailHint")} error={errorOf("email")}>
          {(control) => (
            <input
              {...control}
              type="email"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              value={values.email}
              onChange={(event) => set("email", event.target.value)}
            />
          )}
        </Field>
      )}
      <Field id={id("name")} label={t("users.name")} error={errorOf("name")}>
        {(control) => <input {...control} type="text" autoComplete="off" value={values.name} onChange={(event) => set("name", event.target.value)} />}
      </Field>
      <Field id={id("departmentId")} label={t("users.department")} error={errorOf("departmentId")}>
        {(control) => (
          <select {...control} value={values.departmentId} onChange={(event) => set("departmentId", event.target.value)}>
            <option value="">{t("users.chooseDepartment")}</option>
            {departments.map((department) => (
              <option key={department.id} value={department.id}>
                {department.name} ({department.code})
              </option>
            ))}
          </select>
        )}
      </Field>
      <FieldSet id={id("roles")} legend={t("users.roles")} error={errorOf("roles")}>
        {roles.map((role) => {
          // A role the administrator may not grant stays as it is: shown, but not changeable.
          const locked = !grantable.includes(role);
          if (locked && !values.roles.includes(role)) return null;
          return (
            <label key={role} className="choice">
              <input
                type="checkbox"
                name={`${idPrefix}-roles`}
                value={role}
                checked={values.roles.includes(role)}
                disabled={locked}
                onChange={(event) => toggleRole(role, event.target.checked)}
              />
              {t(`roles.${role}`)}
            </label>
          );
        })}
      </FieldSet>
      <Field id={id("supervisorId")} label={t("users.supervisor")} error={errorOf("supervisorId")}>
        {(control) => (
          <select {...control} value={values.supervisorId ?? ""} onChange={(event) => set("supervisorId", event.target.value || null)}>
            <option value="">{t("users.noSupervisor")}</option>
            {supervisors.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name} ({user.email})
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field id={id("language")} label={t("users.language")} error={errorOf("language")}>
        {(control) => (
          <select {...control} value={values.language} onChange={(event) => set("language", event.target.value === "en" ? "en" : "sw")}>
            {languages.map((language) => (
              <option key={language} value={language}>
                {t(`language.${language}`)}
              </option>
            ))}
          </select>
        )}
      </Field>
      {showGeneralError && <ErrorAlert error={error} messages={server.other} />}
      <div className="form__actions">
        <button type="submit" className="button" disabled={pending}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="button button--secondary" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        )}
      </div>
    </form>
  );
}
