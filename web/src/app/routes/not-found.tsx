import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import { paths } from "../paths";

export function NotFoundRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("notFound.title")} />
      <h1>{t("notFound.title")}</h1>
      <p>{t("notFound.body")}</p>
      <p>
        <Link to={paths.home}>{t("notFound.home")}</Link>
      </p>
    </>
  );
}
