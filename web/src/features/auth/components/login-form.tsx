import { useState } from "react";
import type { FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Field } from "../../../components/form";
import { errorCode } from "../../../lib/form-errors";
import { useExchangeCode, useRequestCode } from "../api/sign-in";
import type { Session } from "../api/sign-in";

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const codePattern = /^\d{6}$/;

type EmailErrorKey = "emailInvalid" | "domainNotAllowed" | "rateLimited" | "network" | "other";
type CodeErrorKey = "codeFormat" | "codeWrong" | "rateLimited" | "network" | "other";

function emailErrorKey(error: unknown): EmailErrorKey {
  switch (errorCode(error)) {
    case "VALIDATION_FAILED":
      return "emailInvalid";
    case "DOMAIN_NOT_ALLOWED":
      return "domainNotAllowed";
    case "RATE_LIMITED":
      return "rateLimited";
    case "NETWORK_ERROR":
      return "network";
    default:
      return "other";
  }
}

function codeErrorKey(error: unknown): CodeErrorKey {
  switch (errorCode(error)) {
    case "VALIDATION_FAILED":
      return "codeFormat";
    // One answer for a wrong, expired or voided code: the server does not say which, on purpose.
    case "UNAUTHENTICATED":
      return "codeWrong";
    case "RATE_LIMITED":
      return "rateLimited";
    case "NETWORK_ERROR":
      return "network";
    default:
      return "other";
  }
}

/** Sign-in in two steps: the official email address, then the 6-digit code mailed to it. */
export function LoginForm({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const { t } = useTranslation();
  const requestCode = useRequestCode();
  const exchangeCode = useExchangeCode();
  const [step, setStep] = useState<"email" | "code">("email");
  const [email, setEmail] = useState("");
  const [code, setCode] = useState("");
  const [emailError, setEmailError] = useState<EmailErrorKey | null>(null);
  const [codeError, setCodeError] = useState<CodeErrorKey | null>(null);
  const [resent, setResent] = useState(false);

  function submitEmail(event: FormEvent) {
    event.preventDefault();
    const address = email.trim().toLowerCase();
    if (!emailPattern.test(address)) {
      setEmailError("emailInvalid");
      return;
    }
    setEmailError(null);
    requestCode.mutate(address, {
      onSuccess: () => {
        setEmail(address);
        setCode("");
        setCodeError(null);
        setResent(false);
        setStep("code");
      },
      onError: (error) => setEmailError(emailErrorKey(error)),
    });
  }

  function submitCode(event: FormEvent) {
    event.preventDefault();
    const digits = code.replace(/\s/g, "");
    if (!codePattern.test(digits)) {
      setCodeError("codeFormat");
      return;
    }
    setCodeError(null);
    exchangeCode.mutate(
      { email, code: digits },
      {
        onSuccess: onSignedIn,
        onError: (error) => setCodeError(codeErrorKey(error)),
      },
    );
  }

  function resend() {
    setResent(false);
    setCodeError(null);
    requestCode.mutate(email, {
      onSuccess: () => {
        setCode("");
        setResent(true);
      },
      onError: (error) => {
        const key = emailErrorKey(error);
        setCodeError(key === "rateLimited" || key === "network" ? key : "other");
      },
    });
  }

  function changeEmail() {
    setStep("email");
    setCodeError(null);
    setResent(false);
  }

  if (step === "email") {
    return (
      <form className="form login-form" onSubmit={submitEmail} noValidate>
        <p>{t("login.emailIntro")}</p>
        <Field id="login-email" label={t("login.email")} error={emailError ? t(`login.errors.${emailError}`) : undefined}>
          {(control) => (
            <input
              {...control}
              type="email"
              name="email"
              autoComplete="email"
              inputMode="email"
              autoCapitalize="none"
              spellCheck={false}
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              autoFocus
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={requestCode.isPending}>
          {requestCode.isPending ? t("login.sending") : t("login.sendCode")}
        </button>
      </form>
    );
  }

  return (
    <form className="form login-form" onSubmit={submitCode} noValidate>
      <p>{t("login.codeSent", { email })}</p>
      {resent && (
        <p className="alert alert--ok" role="status">
          {t("login.resent")}
        </p>
      )}
      <Field
        id="login-code"
        label={t("login.code")}
        hint={t("login.codeHint")}
        error={codeError ? t(`login.errors.${codeError}`) : undefined}
      >
        {(control) => (
          <input
            {...control}
            className="code-input"
            type="text"
            name="code"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9]*"
            maxLength={6}
            value={code}
            onChange={(event) => setCode(event.target.value.replace(/\D/g, "").slice(0, 6))}
            autoFocus
          />
        )}
      </Field>
      <div className="form__actions">
        <button type="submit" className="button" disabled={exchangeCode.isPending}>
          {exchangeCode.isPending ? t("login.signingIn") : t("login.signIn")}
        </button>
        <button type="button" className="button button--secondary" onClick={resend} disabled={requestCode.isPending}>
          {t("login.resend")}
        </button>
        <button type="button" className="button button--link" onClick={changeEmail}>
          {t("login.changeEmail")}
        </button>
      </div>
    </form>
  );
}
