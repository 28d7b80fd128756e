import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert, Field } from "../../../components/form";
import { useDepartments } from "../../directory/api/departments";
import { useDepartmentDashboard, type DepartmentRow } from "../api/dashboard";
import "../dashboard.css";

const COLUMNS = ["forAction", "inProgress", "overdue", "awaitingApproval"] as const;

/** The department's officers, one row each: their open letters and what they handled. */
export function DepartmentTable({ rows }: { rows: readonly DepartmentRow[] }) {
  const { t } = useTranslation();
  if (rows.length === 0) return <p className="empty">{t("dashboard.department.empty")}</p>;
  return (
    <div className="table-scroll" role="region" aria-labelledby="department-table-caption" tabIndex={0}>
      <table className="data-table">
        <caption id="department-table-caption" className="visually-hidden">
          {t("dashboard.department.caption")}
        </caption>
        <thead>
          <tr>
            <th scope="col" rowSpan={2}>
              {t("dashboard.department.officer")}
            </th>
            <th scope="colgroup" colSpan={COLUMNS.length}>
              {t("dashboard.department.columns.open")}
            </th>
            <th scope="colgroup" colSpan={3}>
              {t("dashboard.department.columns.handled")}
            </th>
          </tr>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c} scope="col" className="num">
                {t(`dashboard.department.columns.${c}`)}
              </th>
            ))}
            <th scope="col" className="num">
              {t("dashboard.handledShort.today")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.handledShort.week")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.handledShort.month")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.officerId}>
              <th scope="row">
                {row.name}
                {!row.active && <span className="muted small"> ({t("dashboard.department.inactive")})</span>}
              </th>
              {COLUMNS.map((c) => (
                <td key={c} className={c === "overdue" && row.overdue > 0 ? "num overdue-text" : "num"}>
                  {row[c]}
                </td>
              ))}
              <td className="num">{row.handled.today}</td>
              <td className="num">{row.handled.week}</td>
              <td className="num">{row.handled.month}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The department view: a supervisor's own department; an administrator chooses one. */
export function DepartmentDashboard({ chooseDepartment }: { chooseDepartment: boolean }) {
  const { t } = useTranslation();
  const departments = useDepartments();
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const departmentId = chooseDepartment ? (chosen ?? departments.data?.[0]?.id) : undefined;
  const view = useDepartmentDashboard(departmentId);
  const waiting = chooseDepartment && departmentId === undefined;

  return (
    <>
      {chooseDepartment && (
        <Field id="department-choice" label={t("dashboard.department.choose")}>
          {(control) => (
            <select {...control} value={departmentId ?? ""} onChange={(event) => setChosen(event.target.value)}>
              {(departments.data ?? []).map((d) => (
                <option key={d.id} value={d.id}>
                  {d.name}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {!waiting && view.isPending && (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      )}
      {view.isError && <ErrorAlert error={view.error} />}
      {view.data && (
        <>
          <h2>{view.data.department.name}</h2>
          <DepartmentTable rows={view.data.items} />
        </>
      )}
    </>
  );
}

/** A small summary of the department on the supervisor's home page, in its own tile. */
export function DepartmentSummary() {
  const { t } = useTranslation();
  const view = useDepartmentDashboard(undefined);
  const totals = (view.data?.items ?? []).reduce(
    (sum, row) => ({ officers: sum.officers + 1, overdue: sum.overdue + row.overdue, handledToday: sum.handledToday + row.handled.today }),
    { officers: 0, overdue: 0, handledToday: 0 },
  );
  return (
    <section className="dash-panel" aria-labelledby="department-summary-heading" data-tile="department">
      <h2 id="department-summary-heading">{t("dashboard.department.title")}</h2>
      {view.isPending && <p className="muted">{t("common.loading")}</p>}
      {view.isError && <ErrorAlert error={view.error} />}
      {view.data && (
        <p>
          {t("dashboard.department.summary", { name: view.data.department.name, officers: totals.officers, overdue: totals.overdue, today: totals.handledToday })}
        </p>
      )}
      <p className="dash-links">
        <Link to="/dashboard/department">{t("dashboard.department.open")}</Link>
        <Link to="/reports">{t("dashboard.reports.title")}</Link>
      </p>
    </section>
  );
}
