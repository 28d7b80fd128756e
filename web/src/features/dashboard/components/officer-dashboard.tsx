import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ErrorAlert } from "../../../components/form";
import { useDashboard, type Dashboard } from "../api/dashboard";
import { DailyChart } from "./daily-chart";
import "../dashboard.css";

type CountKey = "forAction" | "inProgress" | "overdue" | "awaitingApproval";

/** Each count opens the box that holds those letters (the inbox's `?box=`). */
const COUNT_TILES: readonly { key: CountKey; box: string }[] = [
  { key: "forAction", box: "for-action" },
  { key: "inProgress", box: "in-progress" },
  { key: "overdue", box: "overdue" },
  { key: "awaitingApproval", box: "awaiting-approval" },
];

const HANDLED_PERIODS = ["today", "week", "month"] as const;

/**
 * The signed-in officer's dashboard: the counts as large tiles that open their box, what they
 * handled today, this week and this month, and the last 30 days as a chart. All from one request;
 * when it fails, the message stays in this tile and the rest of the page keeps working.
 */
export function OfficerDashboard() {
  const { t } = useTranslation();
  const dashboard = useDashboard();

  if (dashboard.isError && !dashboard.data) {
    return (
      <section className="dash-panel dash-panel--error" aria-labelledby="my-letters-heading" data-tile="dashboard">
        <h2 id="my-letters-heading">{t("dashboard.myLetters")}</h2>
        <ErrorAlert error={dashboard.error} messages={[t("dashboard.failed")]} />
        <button type="button" className="button button--secondary" onClick={() => void dashboard.refetch()} disabled={dashboard.isFetching}>
          {dashboard.isFetching ? t("common.loading") : t("dashboard.retry")}
        </button>
      </section>
    );
  }

  const data = dashboard.data;
  return (
    <>
      <section className="dash-panel" aria-labelledby="my-letters-heading" aria-busy={dashboard.isPending} data-tile="dashboard">
        <h2 id="my-letters-heading">{t("dashboard.myLetters")}</h2>
        <ul className="tiles">
          {COUNT_TILES.map(({ key, box }) => (
            <li key={key}>
              <Link className={`tile tile--${box}`} to={`/letters?box=${box}`} data-count={key}>
                <span className="tile__count">{data ? data[key] : "…"}</span>
                <span className="tile__label">{t(`dashboard.tiles.${key}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="dash-panel" aria-labelledby="handled-heading">
        <h2 id="handled-heading">{t("dashboard.handledTitle")}</h2>
        <ul className="tiles tiles--small">
          {HANDLED_PERIODS.map((period) => (
            <li key={period}>
              <Link className="tile tile--handled" to="/letters?box=handled" data-count={`handled-${period}`}>
                <span className="tile__count">{data ? data.handled[period] : "…"}</span>
                {/* Short under its heading on screen; whole for screen readers, which read the tile alone. */}
                <span className="tile__label" aria-hidden="true">
                  {t(`dashboard.handledShort.${period}`)}
                </span>
                <span className="visually-hidden">{t(`dashboard.handled.${period}`)}</span>
              </Link>
            </li>
          ))}
        </ul>
      </section>

      <section className="dash-panel" aria-labelledby="chart-heading">
        <h2 id="chart-heading">{t("dashboard.chartTitle")}</h2>
        {data ? <DailyChart daily={data.daily} /> : <p className="muted">{t("common.loading")}</p>}
      </section>
    </>
  );
}

export type { Dashboard };
