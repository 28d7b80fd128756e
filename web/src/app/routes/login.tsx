import { useTranslation } from "react-i18next";
import { Navigate, useLocation, useNavigate } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import type { Session } from "../../features/auth/api/sign-in";
import { LoginForm } from "../../features/auth/components/login-form";
import { safeReturnPath, useStartSession } from "../../features/auth/session";
import { useAuthToken } from "../../lib/auth-token";

function returnPath(state: unknown): string {
  const from = state !== null && typeof state === "object" && "from" in state ? state.from : undefined;
  return safeReturnPath(from);
}

export function LoginRoute() {
  const { t } = useTranslation();
  const token = useAuthToken();
  const location = useLocation();
  const navigate = useNavigate();
  const startSession = useStartSession();
  const target = returnPath(location.state);

  function signedIn(session: Session) {
    startSession(session);
    void navigate(target, { replace: true });
  }

  // Someone already signed in has nothing to do here.
  if (token) return <Navigate to={target} replace />;

  return (
    <div className="narrow">
      <PageTitle title={t("login.title")} />
      <h1>{t("login.title")}</h1>
      <LoginForm onSignedIn={signedIn} />
    </div>
  );
}
