import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import { paths } from "../paths";

const features = ["registry", "workflow", "reminders", "search"] as const;

export function HomeRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle />
      <section className="hero" aria-labelledby="home-heading">
        <h1 id="home-heading">{t("home.title")}</h1>
        <p className="lead">{t("home.lead")}</p>
        <p>{t("home.body")}</p>
      </section>

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
