import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title";
import { SystemStatus } from "../../features/health/components/system-status";

export function StatusRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("status.title")} />
      <h1>{t("status.title")}</h1>
      <p className="lead">{t("status.intro")}</p>
      <SystemStatus />
    </>
  );
}
