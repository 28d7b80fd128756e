import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { errorCode } from "../lib/form-errors";

export type ControlProps = {
  id: string;
  "aria-invalid": boolean;
  "aria-describedby"?: string;
};

/** A labelled form control with an optional hint and error, both tied to the control for screen readers. */
export function Field({
  id,
  label,
  hint,
  error,
  children,
}: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  children: (control: ControlProps) => ReactNode;
}) {
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return (
    <div className="field" data-invalid={error ? true : undefined}>
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <p id={`${id}-hint`} className="field__hint">
          {hint}
        </p>
      )}
      {children({ id, "aria-invalid": Boolean(error), "aria-describedby": described || undefined })}
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes or radios with one legend and one error. */
export function FieldSet({ legend, error, id, children }: { legend: ReactNode; error?: string; id: string; children: ReactNode }) {
  return (
    <fieldset className="field fieldset" aria-describedby={error ? `${id}-error` : undefined} data-invalid={error ? true : undefined}>
      <legend className="field__label">{legend}</legend>
      <div className="choices">{children}</div>
      {error && (
        <p id={`${id}-error`} className="field__error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** A general message for an API error, in the user's language, with the code for support. */
export function ErrorAlert({ error, messages = [] }: { error: unknown; messages?: string[] }) {
  const { t } = useTranslation();
  const code = errorCode(error);
  const known = ["VALIDATION_FAILED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "INVALID_TRANSITION", "RATE_LIMITED", "NETWORK_ERROR", "UNAUTHENTICATED"] as const;
  const key = known.find((candidate) => candidate === code);
  return (
    <div className="alert alert--error" role="alert">
      <p className="alert__title">{key ? t(`errors.${key}`) : t("errors.other")}</p>
      {messages.map((message) => (
        <p key={message} className="alert__detail">
          {message}
        </p>
      ))}
      <p className="alert__detail">{t("status.errorCode", { code })}</p>
    </div>
  );
}

export function SuccessNote({ children }: { children: ReactNode }) {
  return (
    <p className="alert alert--ok" role="status">
      {children}
    </p>
  );
}
