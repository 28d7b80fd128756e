import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title";
import "../../styles/records.css";
import { SearchResults } from "../../features/search/components/search-results";

export function SearchRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("search.title")} />
      <h1>{t("search.title")}</h1>
      <SearchResults />
    </>
  );
}
