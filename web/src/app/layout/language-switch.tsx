import { useTranslation } from "react-i18next";
import { languages, toLanguage } from "../../lib/i18n";

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const current = toLanguage(i18n.resolvedLanguage);

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
          onClick={() => void i18n.changeLanguage(language)}
        >
          {t(`language.${language}`)}
        </button>
      ))}
    </div>
  );
}
