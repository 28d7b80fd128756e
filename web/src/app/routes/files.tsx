import { useTranslation } from "react-i18next";
import { useParams } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import "../../styles/records.css";
import { FilePage } from "../../features/files/components/file-page";
import { FilesList } from "../../features/files/components/files-list";

export function FilesRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("files.title")} />
      <h1>{t("files.title")}</h1>
      <p className="lead">{t("files.intro")}</p>
      <FilesList />
    </>
  );
}

export function FileRoute() {
  const { id = "" } = useParams();
  return <FilePage key={id} id={id} />;
}
