import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field, FieldSet, SuccessNote } from "../../../components/form";
import { languages, toLanguage } from "../../../lib/i18n";
import type { Language } from "../../../lib/i18n";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useMe, useUpdateMe } from "../../auth/api/me";
import type { Me } from "../../auth/api/me";
import { useDepartments } from "../../directory/api/departments";
import { RoleList } from "../../directory/components/role-list";
import { NotificationPreferences } from "./notification-preferences";

export function Profile() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.isPending) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (me.isError) return <ErrorAlert error={me.error} />;
  return (
    <>
      <ProfileDetails me={me.data} />
      <LanguageChoice me={me.data} />
      <NameForm key={me.data.name} me={me.data} />
      <NotificationPreferences />
    </>
  );
}

function ProfileDetails({ me }: { me: Me }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const department = departments.data?.find((candidate) => candidate.id === me.departmentId);
  return (
    <dl className="details card">
      <div>
        <dt>{t("profile.name")}</dt>
        <dd>{me.name}</dd>
      </div>
      <div>
        <dt>{t("profile.email")}</dt>
        <dd>{me.email}</dd>
      </div>
      <div>
        <dt>{t("profile.agency")}</dt>
        <dd>{me.agencyCode}</dd>
      </div>
      <div>
        <dt>{t("profile.department")}</dt>
        <dd>{department ? `${department.name} (${department.code})` : me.departmentId ? "…" : t("profile.noDepartment")}</dd>
      </div>
      <div>
        <dt>{t("profile.roles")}</dt>
        <dd>
          <RoleList roles={me.roles} />
        </dd>
      </div>
    </dl>
  );
}

/** Choosing a language saves it to the profile, so every later sign-in speaks it too. */
function LanguageChoice({ me }: { me: Me }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateMe();
  const current = toLanguage(i18n.resolvedLanguage);

  function choose(language: Language) {
    void i18n.changeLanguage(language);
    update.mutate({ language });
  }

  return (
    <section aria-labelledby="profile-language-heading">
      <h2 id="profile-language-heading">{t("profile.languageTitle")}</h2>
      <FieldSet id="profile-language" legend={t("profile.languageLegend")}>
        {languages.map((language) => (
          <label key={language} className="choice" lang={language}>
            <input
              type="radio"
              name="profile-language"
              value={language}
              checked={current === language}
              disabled={update.isPending}
              onChange={() => choose(language)}
            />
            {t(`language.${language}`)}
          </label>
        ))}
      </FieldSet>
      {update.isSuccess && update.data.language === me.language && <SuccessNote>{t("profile.languageSaved")}</SuccessNote>}
      {update.isError && <ErrorAlert error={update.error} />}
    </section>
  );
}

function NameForm({ me }: { me: Me }) {
  const { t } = useTranslation();
  const update = useUpdateMe();
  const [name, setName] = useState(me.name);
  const [localError, setLocalError] = useState<string | undefined>();
  const serverErrors = fieldErrorsFrom(update.error, ["name"] as const);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (name.trim() === "") {
      setLocalError(t("form.required"));
      return;
    }
    setLocalError(undefined);
    update.mutate({ name: name.trim() });
  }

  return (
    <section aria-labelledby="profile-name-heading">
      <h2 id="profile-name-heading">{t("profile.nameTitle")}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field id="profile-name" label={t("profile.name")} error={localError ?? serverErrors.byField.name}>
          {(control) => <input {...control} type="text" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />}
        </Field>
        {update.isError && serverErrors.byField.name === undefined && <ErrorAlert error={update.error} messages={serverErrors.other} />}
        <button type="submit" className="button" disabled={update.isPending}>
          {t("common.save")}
        </button>
      </form>
    </section>
  );
}
