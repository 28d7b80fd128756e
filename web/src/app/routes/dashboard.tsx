import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import { hasRole, useMe } from "../../features/auth/api/me";
import { DepartmentDashboard } from "../../features/dashboard/components/department-dashboard";
import { HandledReport } from "../../features/dashboard/components/handled-report";
import { paths } from "../paths";

export function DepartmentDashboardRoute() {
  const { t } = useTranslation();
  const me = useMe().data;
  return (
    <>
      <PageTitle title={t("dashboard.department.title")} />
      <div className="toolbar">
        <h1>{t("dashboard.department.title")}</h1>
        <Link to={paths.reports}>{t("dashboard.reports.title")}</Link>
      </div>
      <p className="lead">{t("dashboard.department.intro")}</p>
      {/* An administrator looks at any department; a supervisor at their own. */}
      <DepartmentDashboard chooseDepartment={hasRole(me, "admin")} />
    </>
  );
}

export function ReportsRoute() {
  const { t } = useTranslation();
  const me = useMe().data;
  return (
    <>
      <PageTitle title={t("dashboard.reports.title")} />
      <div className="toolbar">
        <h1>{t("dashboard.reports.title")}</h1>
        <Link to={paths.departmentDashboard}>{t("dashboard.department.title")}</Link>
      </div>
      <p className="lead">{t("dashboard.reports.intro")}</p>
      <HandledReport chooseDepartment={hasRole(me, "admin")} />
    </>
  );
}
