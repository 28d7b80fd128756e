import { useTranslation } from "react-i18next";
import { PageTitle } from "../../components/page-title";
import { DepartmentsAdmin } from "../../features/admin/components/departments-admin";
import { SettingsAdmin } from "../../features/admin/components/settings-form";
import { UsersAdmin } from "../../features/admin/components/users-admin";
import { AgenciesAdmin } from "../../features/agencies/components/agencies-admin";

export function UsersRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("users.title")} />
      <h1>{t("users.title")}</h1>
      <p className="lead">{t("users.intro")}</p>
      <UsersAdmin />
    </>
  );
}

export function DepartmentsRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("departments.title")} />
      <h1>{t("departments.title")}</h1>
      <p className="lead">{t("departments.intro")}</p>
      <DepartmentsAdmin />
    </>
  );
}

export function SettingsRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("settings.title")} />
      <h1>{t("settings.title")}</h1>
      <p className="lead">{t("settings.intro")}</p>
      <SettingsAdmin />
    </>
  );
}

export function AgenciesRoute() {
  const { t } = useTranslation();
  return (
    <>
      <PageTitle title={t("agencies.title")} />
      <h1>{t("agencies.title")}</h1>
      <p className="lead">{t("agencies.intro")}</p>
      <AgenciesAdmin />
    </>
  );
}
