import { useTranslation } from "react-i18next";
import { useUpdateMe } from "../../features/auth/api/me";
import { useAuthToken } from "../../lib/auth-token";
import { languages, toLanguage } from "../../lib/i18n";
import type { Language } from "../../lib/i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = toLanguage(i18n.resolvedLanguage);
  const signedIn = useAuthToken() !== null;
  const updateMe = useUpdateMe();

  function choose(language: Language) {
    void i18n.changeLanguage(language);
    // A signed-in user's language lives in their profile, so the choice follows them to every device.
    if (signedIn) updateMe.mutate({ language });
  }

  return (
    <div className="language-switch" role="group" aria-label={t("language.label")}>
      <span className="language-switch__label" aria-hidden="true">
        {t("language.label")}
      </span>
      {languages.map((language) => (
        <button
          key={language}
          type="button"
          lang={language}
          className="language-switch__option"
          aria-pressed={current === language}
          onClick={() => choose(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  );
}
