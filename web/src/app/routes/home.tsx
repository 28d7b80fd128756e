import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import { hasRole, useMe } from "../../features/auth/api/me";
import { paths } from "../paths";

const features = ["registry", "workflow", "reminders", "search"] as const;

export function HomeRoute() {
  const { t } = useTranslation();
  const me = useMe().data;
  const shortcuts = [
    ...(hasRole(me, "admin")
      ? [
          { to: paths.adminUsers, label: t("nav.users") },
          { to: paths.adminDepartments, label: t("nav.departments") },
          { to: paths.adminSettings, label: t("nav.settings") },
        ]
      : []),
    ...(hasRole(me, "operator") ? [{ to: paths.operatorAgencies, label: t("nav.agencies") }] : []),
    { to: paths.profile, label: t("nav.profile") },
  ];
  return (
    <>
      <PageTitle />
      <section className="hero" aria-labelledby="home-heading">
        <h1 id="home-heading">{t("home.title")}</h1>
        {me && <p className="greeting">{t("home.welcome", { name: me.name })}</p>}
        <p className="lead">{t("home.lead")}</p>
        <p>{t("home.body")}</p>
      </section>

      <nav aria-labelledby="shortcuts-heading">
        <h2 id="shortcuts-heading">{t("home.shortcutsTitle")}</h2>
        <ul className="shortcut-list">
          {shortcuts.map((shortcut) => (
            <li key={shortcut.to}>
              <Link className="shortcut" to={shortcut.to}>
                {shortcut.label}
              </Link>
            </li>
          ))}
        </ul>
      </nav>

      <section aria-labelledby="features-heading">
        <h2 id="features-heading">{t("home.featuresTitle")}</h2>
        <ul className="feature-list">
          {features.map((feature) => (
            <li key={feature} className="card">
              <h3>{t(`home.features.${feature}.title`)}</h3>
              <p>{t(`home.features.${feature}.text`)}</p>
            </li>
          ))}
        </ul>
      </section>

      <section className="callout">
        <p>{t("home.statusText")}</p>
        <Link className="button" to={paths.status}>
          {t("home.statusLink")}
        </Link>
      </section>
    </>
  );
}
