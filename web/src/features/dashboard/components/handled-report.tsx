import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { ErrorAlert, Field } from "../../../components/form";
import { todayInput } from "../../../lib/dates";
import { useDepartments } from "../../directory/api/departments";
import { downloadHandledCsv, useHandledReport, type ReportRequest, type ReportRow } from "../api/dashboard";
import "../dashboard.css";

function hours(seconds: number | null, locale: string): string {
  if (seconds === null) return "—";
  return (seconds / 3600).toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
}

function ReportTable({ rows }: { rows: readonly ReportRow[] }) {
  const { t, i18n } = useTranslation();
  const locale = i18n.resolvedLanguage === "en" ? "en-GB" : "sw-TZ";
  if (rows.length === 0) return <p className="empty">{t("dashboard.reports.empty")}</p>;
  return (
    <div className="table-scroll" role="region" aria-labelledby="report-caption" tabIndex={0}>
      <table className="data-table">
        <caption id="report-caption" className="visually-hidden">
          {t("dashboard.reports.caption")}
        </caption>
        <thead>
          <tr>
            <th scope="col">{t("dashboard.department.officer")}</th>
            <th scope="col">{t("dashboard.reports.department")}</th>
            <th scope="col" className="num">
              {t("dashboard.reports.handled")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.reports.averageHours")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.reports.overdue")}
            </th>
            <th scope="col" className="num">
              {t("dashboard.reports.late")}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.officerId}>
              <th scope="row">{row.officer}</th>
              <td>{row.department ?? "—"}</td>
              <td className="num">{row.handled}</td>
              <td className="num">{hours(row.averageHandleSeconds, locale)}</td>
              <td className="num">{row.overdue}</td>
              <td className="num">{row.handledLate}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The handled report over a date range, shown as a table and downloadable as CSV. */
export function HandledReport({ chooseDepartment }: { chooseDepartment: boolean }) {
  const { t } = useTranslation();
  const today = todayInput();
  const [from, setFrom] = useState(`${today.slice(0, 8)}01`);
  const [to, setTo] = useState(today);
  const [departmentId, setDepartmentId] = useState("");
  const [request, setRequest] = useState<ReportRequest | null>({ from: `${today.slice(0, 8)}01`, to: today });
  const [download, setDownload] = useState<{ state: "idle" | "busy" } | { state: "failed"; error: unknown }>({ state: "idle" });
  const departments = useDepartments();
  const report = useHandledReport(request);
  const rangeError = from && to && from > to ? t("dashboard.reports.rangeError") : undefined;

  /** The range in the form, or null when it is incomplete or reversed. */
  function formRequest(): ReportRequest | null {
    if (rangeError || !from || !to) return null;
    return { from, to, ...(departmentId ? { departmentId } : {}) };
  }

  function show(event: FormEvent) {
    event.preventDefault();
    const wanted = formRequest();
    if (wanted) setRequest(wanted);
  }

  // The file is of the range in the form, which is also shown.
  async function csv() {
    const wanted = formRequest();
    if (!wanted) return;
    setRequest(wanted);
    setDownload({ state: "busy" });
    try {
      await downloadHandledCsv(wanted);
      setDownload({ state: "idle" });
    } catch (error) {
      setDownload({ state: "failed", error });
    }
  }

  return (
    <>
      <form className="report-form" onSubmit={show} noValidate>
        <Field id="report-from" label={t("dashboard.reports.from")}>
          {(control) => <input {...control} type="date" value={from} max={to || undefined} onChange={(e) => setFrom(e.target.value)} required />}
        </Field>
        <Field id="report-to" label={t("dashboard.reports.to")} error={rangeError}>
          {(control) => <input {...control} type="date" value={to} min={from || undefined} onChange={(e) => setTo(e.target.value)} required />}
        </Field>
        {chooseDepartment && (
          <Field id="report-department" label={t("dashboard.reports.department")}>
            {(control) => (
              <select {...control} value={departmentId} onChange={(e) => setDepartmentId(e.target.value)}>
                <option value="">{t("dashboard.reports.allDepartments")}</option>
                {(departments.data ?? []).map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <div className="report-form__actions">
          <button type="submit" className="button">
            {t("dashboard.reports.show")}
          </button>
          <button type="button" className="button button--secondary" onClick={() => void csv()} disabled={Boolean(rangeError) || download.state === "busy"}>
            {download.state === "busy" ? t("common.loading") : t("dashboard.reports.download")}
          </button>
        </div>
      </form>
      {download.state === "failed" && <ErrorAlert error={download.error} />}
      {report.isFetching && (
        <p className="muted" role="status">
          {t("common.loading")}
        </p>
      )}
      {report.isError && <ErrorAlert error={report.error} />}
      {report.data && (
        <section aria-labelledby="report-result-heading">
          <h2 id="report-result-heading">{t("dashboard.reports.resultTitle", { from: report.data.from, to: report.data.to })}</h2>
          <ReportTable rows={report.data.items} />
        </section>
      )}
    </>
  );
}
