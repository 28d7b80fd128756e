import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field, SuccessNote } from "../../../components/form";
import { TimezoneOptions } from "../../../components/timezone-options";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useAgencies, useOnboardAgency } from "../api/agencies";

const codePattern = /^[A-Z][A-Z0-9]{1,15}$/;
const domainPattern = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const fields = ["code", "name", "emailDomains", "timezone", "admin.email", "admin.name"] as const;
type FieldName = (typeof fields)[number];

/** Domains typed one per line or separated by commas (or spaces), lower-cased, each once. */
function parseDomains(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((domain) => domain.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
}

export function AgenciesAdmin() {
  const { t } = useTranslation();
  const agencies = useAgencies();
  const items = agencies.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <>
      <section aria-labelledby="agencies-list-heading">
        <h2 id="agencies-list-heading">{t("agencies.listTitle")}</h2>
        {agencies.isPending && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )}
        {agencies.isError && <ErrorAlert error={agencies.error} />}
        <ul className="record-list">
          {items.map((agency) => (
            <li key={agency.id} className="record" aria-labelledby={`agency-${agency.id}-name`}>
              <div className="record__head">
                <h3 id={`agency-${agency.id}-name`} className="record__title">
                  {agency.name}
                </h3>
                <code className="tag">{agency.code}</code>
              </div>
              <dl className="record__facts">
                <div>
                  <dt>{t("agencies.domains")}</dt>
                  <dd>{agency.emailDomains.join(", ")}</dd>
                </div>
                {agency.timezone && (
                  <div>
                    <dt>{t("agencies.timezone")}</dt>
                    <dd>{agency.timezone}</dd>
                  </div>
                )}
              </dl>
            </li>
          ))}
        </ul>
        {agencies.hasNextPage && (
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void agencies.fetchNextPage()}
            disabled={agencies.isFetchingNextPage}
          >
            {t("common.showMore")}
          </button>
        )}
      </section>
      <OnboardAgencyForm />
    </>
  );
}

const empty: Record<FieldName, string> = { code: "", name: "", emailDomains: "", timezone: "", "admin.email": "", "admin.name": "" };

function OnboardAgencyForm() {
  const { t } = useTranslation();
  const onboard = useOnboardAgency();
  const [draft, setDraft] = useState(empty);
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  const [onboarded, setOnboarded] = useState<string | null>(null);
  const server = fieldErrorsFrom(onboard.error, fields);
  const errorOf = (field: FieldName) => localErrors[field] ?? server.byField[field];
  const set = (field: FieldName, value: string) => setDraft((current) => ({ ...current, [field]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    const code = draft.code.trim().toUpperCase();
    const domains = parseDomains(draft.emailDomains);
    const adminEmail = draft["admin.email"].trim().toLowerCase();
    const problems: Partial<Record<FieldName, string>> = {};
    if (!codePattern.test(code)) problems.code = t("agencies.codeInvalid");
    if (draft.name.trim() === "") problems.name = t("form.required");
    if (domains.length === 0) problems.emailDomains = t("agencies.domainsRequired");
    else {
      const bad = domains.find((domain) => !domainPattern.test(domain));
      if (bad) problems.emailDomains = t("agencies.domainInvalid", { domain: bad });
    }
    if (!emailPattern.test(adminEmail)) problems["admin.email"] = t("form.emailInvalid");
    else if (domains.length > 0 && !domains.includes(adminEmail.split("@")[1] ?? "")) problems["admin.email"] = t("agencies.adminDomain");
    if (draft["admin.name"].trim() === "") problems["admin.name"] = t("form.required");
    setLocalErrors(problems);
    setOnboarded(null);
    if (Object.keys(problems).length > 0) return;

    const timezone = draft.timezone.trim();
    onboard.mutate(
      {
        code,
        name: draft.name.trim(),
        emailDomains: domains,
        ...(timezone ? { timezone } : {}),
        admin: { email: adminEmail, name: draft["admin.name"].trim() },
      },
      {
        onSuccess: (agency) => {
          setOnboarded(agency.name);
          setDraft(empty);
        },
      },
    );
  }

  return (
    <section className="card panel" aria-labelledby="onboard-heading">
      <h2 id="onboard-heading">{t("agencies.onboardTitle")}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field id="agency-code" label={t("agencies.code")} hint={t("agencies.codeHint")} error={errorOf("code")}>
          {(control) => (
            <input
              {...control}
              type="text"
              autoCapitalize="characters"
              autoComplete="off"
              spellCheck={false}
              maxLength={16}
              value={draft.code}
              onChange={(event) => set("code", event.target.value.toUpperCase())}
            />
          )}
        </Field>
        <Field id="agency-name" label={t("agencies.name")} error={errorOf("name")}>
          {(control) => <input {...control} type="text" autoComplete="off" value={draft.name} onChange={(event) => set("name", event.target.value)} />}
        </Field>
        <Field id="agency-domains" label={t("agencies.domains")} hint={t("agencies.domainsHint")} error={errorOf("emailDomains")}>
          {(control) => (
            <textarea
              {...control}
              rows={3}
              autoCapitalize="none"
              spellCheck={false}
              value={draft.emailDomains}
              onChange={(event) => set("emailDomains", event.target.value)}
            />
          )}
        </Field>
        <Field id="agency-timezone" label={t("agencies.timezone")} hint={t("agencies.timezoneHint")} error={errorOf("timezone")}>
          {(control) => (
            <>
              <input
                {...control}
                type="text"
                list="agency-timezones"
                autoComplete="off"
                spellCheck={false}
                placeholder="Africa/Dar_es_Salaam"
                value={draft.timezone}
                onChange={(event) => set("timezone", event.target.value)}
              />
              <TimezoneOptions id="agency-timezones" />
            </>
          )}
        </Field>
        <fieldset className="fieldset-group">
          <legend>{t("agencies.adminLegend")}</legend>
          <Field id="agency-admin-email" label={t("agencies.adminEmail")} error={errorOf("admin.email")}>
            {(control) => (
              <input
                {...control}
                type="email"
                autoComplete="off"
                autoCapitalize="none"
                spellCheck={false}
                value={draft["admin.email"]}
                onChange={(event) => set("admin.email", event.target.value)}
              />
            )}
          </Field>
          <Field id="agency-admin-name" label={t("agencies.adminName")} error={errorOf("admin.name")}>
            {(control) => (
              <input {...control} type="text" autoComplete="off" value={draft["admin.name"]} onChange={(event) => set("admin.name", event.target.value)} />
            )}
          </Field>
        </fieldset>
        {onboard.isError && fields.every((field) => !server.byField[field]) && <ErrorAlert error={onboard.error} messages={server.other} />}
        {onboarded && <SuccessNote>{t("agencies.onboarded", { name: onboarded })}</SuccessNote>}
        <button type="submit" className="button" disabled={onboard.isPending}>
          {t("agencies.onboard")}
        </button>
      </form>
    </section>
  );
}
