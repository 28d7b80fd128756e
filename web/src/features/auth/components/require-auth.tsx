import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, Outlet, useLocation } from "react-router-dom";
import { PageTitle } from "../../../components/page-title";
import { ErrorAlert } from "../../../components/form";
import { sessionEndedByUser, useAuthToken } from "../../../lib/auth-token";
import { hasRole, useMe } from "../api/me";
import type { Role } from "../../../lib/roles";
import { loginPath } from "../session";

/**
 * Pages below need a session. Without a token (never signed in, signed out, or cleared by the API
 * client on a 401) the user goes to the login page, which brings them back here afterwards.
 */
export function RequireAuth() {
  const token = useAuthToken();
  const location = useLocation();
  if (!token) {
    // After a deliberate sign-out the next person to sign in may be someone else: start them at home.
    if (sessionEndedByUser()) return <Navigate to={loginPath} replace />;
    const from = `${location.pathname}${location.search}${location.hash}`;
    return <Navigate to={loginPath} replace state={{ from }} />;
  }
  return <Outlet />;
}

/** Pages below are for users holding `role` (or any of several); others see that the page is not theirs. */
export function RequireRole({ role, children }: { role: Role | readonly Role[]; children?: ReactNode }) {
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
  const wanted: readonly Role[] = typeof role === "string" ? [role] : role;
  if (!wanted.some((one) => hasRole(me.data, one))) {
    return (
      <>
        <PageTitle title={t("forbidden.title")} />
        <h1>{t("forbidden.title")}</h1>
        <p>{t("forbidden.body")}</p>
      </>
    );
  }
  return children ?? <Outlet />;
}
