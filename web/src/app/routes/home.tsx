import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { PageTitle } from "../../components/page-title";
import { hasRole, useMe } from "../../features/auth/api/me";
import { DepartmentSummary } from "../../features/dashboard/components/department-dashboard";
import { OfficerDashboard } from "../../features/dashboard/components/officer-dashboard";
import { paths } from "../paths";

/** The signed-in home page is the dashboard: the caller's counts first, then their shortcuts. */
export function HomeRoute() {
  const { t } = useTranslation();
  const me = useMe().data;
  const supervises = hasRole(me, "supervisor") || hasRole(me, "admin");
  const shortcuts = [
    ...(supervises
      ? [
          { to: paths.departmentDashboard, label: t("dashboard.department.title") },
          { to: paths.reports, label: t("dashboard.reports.title") },
        ]
      : []),
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
      </section>

      <div className="dashboard-grid" role="region" aria-label={t("dashboard.title")}>
        <OfficerDashboard />
        {supervises && me?.departmentId && <DepartmentSummary />}
      </div>

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

      <section className="callout">
        <p>{t("home.statusText")}</p>
        <Link className="button" to={paths.status}>
          {t("home.statusLink")}
        </Link>
      </section>
    </>
  );
}
