import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field, SuccessNote } from "../../../components/form";
import { fieldErrorsFrom } from "../../../lib/form-errors";
import { useSaveSettings, useSettings } from "../api/settings";
import type { Settings } from "../api/settings";
import { TimezoneOptions } from "../../../components/timezone-options";

const fields = ["defaultDueDays", "reminderIntervalHours", "escalateAfterDays", "digestTime", "timezone"] as const;
type FieldName = (typeof fields)[number];
type Draft = Record<FieldName, string>;

const limits = {
  defaultDueDays: { min: 1, max: 365 },
  reminderIntervalHours: { min: 1, max: 24 * 14 },
  escalateAfterDays: { min: 1, max: 365 },
} as const;

const clockTime = /^([01]\d|2[0-3]):[0-5]\d$/;

export function SettingsAdmin() {
  const { t } = useTranslation();
  const settings = useSettings();
  if (settings.isPending) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (settings.isError) return <ErrorAlert error={settings.error} />;
  return <SettingsForm saved={settings.data} />;
}

function toDraft(settings: Settings): Draft {
  return {
    defaultDueDays: String(settings.defaultDueDays),
    reminderIntervalHours: String(settings.reminderIntervalHours),
    escalateAfterDays: String(settings.escalateAfterDays),
    digestTime: settings.digestTime,
    timezone: settings.timezone,
  };
}

function SettingsForm({ saved }: { saved: Settings }) {
  const { t } = useTranslation();
  const save = useSaveSettings();
  const [draft, setDraft] = useState(() => toDraft(saved));
  const [localErrors, setLocalErrors] = useState<Partial<Record<FieldName, string>>>({});
  const server = fieldErrorsFrom(save.error, fields);
  const errorOf = (field: FieldName) => localErrors[field] ?? server.byField[field];

  function check(): Partial<Record<FieldName, string>> {
    const problems: Partial<Record<FieldName, string>> = {};
    for (const field of ["defaultDueDays", "reminderIntervalHours", "escalateAfterDays"] as const) {
      const value = Number(draft[field]);
      const { min, max } = limits[field];
      if (!/^\d+$/.test(draft[field].trim()) || value < min || value > max) problems[field] = t("settings.wholeNumber", { min, max });
    }
    if (!clockTime.test(draft.digestTime.trim())) problems.digestTime = t("settings.timeInvalid");
    if (draft.timezone.trim() === "") problems.timezone = t("form.required");
    return problems;
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = check();
    setLocalErrors(problems);
    save.reset();
    if (Object.keys(problems).length > 0) return;
    save.mutate({
      defaultDueDays: Number(draft.defaultDueDays),
      reminderIntervalHours: Number(draft.reminderIntervalHours),
      escalateAfterDays: Number(draft.escalateAfterDays),
      digestTime: draft.digestTime.trim(),
      timezone: draft.timezone.trim(),
    });
  }

  function numberField(field: "defaultDueDays" | "reminderIntervalHours" | "escalateAfterDays") {
    return (
      <Field id={`settings-${field}`} label={t(`settings.${field}`)} hint={t(`settings.${field}Hint`)} error={errorOf(field)}>
        {(control) => (
          <input
            {...control}
            type="number"
            inputMode="numeric"
            min={limits[field].min}
            max={limits[field].max}
            step={1}
            value={draft[field]}
            onChange={(event) => setDraft((current) => ({ ...current, [field]: event.target.value }))}
          />
        )}
      </Field>
    );
  }

  return (
    <form className="form card panel" onSubmit={submit} noValidate>
      {numberField("defaultDueDays")}
      {numberField("reminderIntervalHours")}
      {numberField("escalateAfterDays")}
      <Field id="settings-digestTime" label={t("settings.digestTime")} hint={t("settings.digestTimeHint")} error={errorOf("digestTime")}>
        {(control) => (
          <input
            {...control}
            type="text"
            inputMode="numeric"
            placeholder="07:30"
            value={draft.digestTime}
            onChange={(event) => setDraft((current) => ({ ...current, digestTime: event.target.value }))}
          />
        )}
      </Field>
      <Field id="settings-timezone" label={t("settings.timezone")} hint={t("settings.timezoneHint")} error={errorOf("timezone")}>
        {(control) => (
          <>
            <input
              {...control}
              type="text"
              list="settings-timezones"
              autoComplete="off"
              spellCheck={false}
              value={draft.timezone}
              onChange={(event) => setDraft((current) => ({ ...current, timezone: event.target.value }))}
            />
            <TimezoneOptions id="settings-timezones" />
          </>
        )}
      </Field>
      {save.isError && fields.every((field) => !server.byField[field]) && <ErrorAlert error={save.error} messages={server.other} />}
      {save.isSuccess && <SuccessNote>{t("settings.saved")}</SuccessNote>}
      <button type="submit" className="button" disabled={save.isPending}>
        {t("common.save")}
      </button>
    </form>
  );
}
