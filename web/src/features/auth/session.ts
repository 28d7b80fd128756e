import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router-dom";
import { clearAuthToken, setAuthToken } from "../../lib/auth-token";
import { meQueryKey, useMe } from "./api/me";
import type { Session } from "./api/sign-in";

export const loginPath = "/login";

/** Where the login page sends the user afterwards: only a path of this app, never another site. */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith(loginPath)) return "/";
  return value;
}

/** Starts a session from a token answer: keeps the token, the profile and the profile's language. */
export function useStartSession() {
  const queryClient = useQueryClient();
  const { i18n } = useTranslation();
  return (session: Session) => {
    setAuthToken(session.token); // Clears the cache of any earlier session (see AppProvider).
    queryClient.setQueryData(meQueryKey, session.user);
    void i18n.changeLanguage(session.user.language);
  };
}

export function useSignOut() {
  const navigate = useNavigate();
  return () => {
    clearAuthToken({ byUser: true });
    void navigate(loginPath, { replace: true });
  };
}

/** A signed-in user's interface speaks the language of their profile, wherever they sign in. */
export function useProfileLanguage(): void {
  const { i18n } = useTranslation();
  const language = useMe().data?.language;
  useEffect(() => {
    if (language && i18n.resolvedLanguage !== language) void i18n.changeLanguage(language);
  }, [language, i18n]);
}
