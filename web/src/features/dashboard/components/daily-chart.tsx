import { useId } from "react";
import { useTranslation } from "react-i18next";
import { useDateFormat } from "../../../lib/dates";

const WIDTH = 480;
const HEIGHT = 140;
const TOP = 6;
const BOTTOM = 4;

/**
 * Handled actions per day as an SVG bar chart: no library, scales to any width. For screen
 * readers the picture has a title and a summary, and the numbers are also in a table.
 */
export function DailyChart({ daily }: { daily: readonly { date: string; handled: number }[] }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const id = useId();
  const max = Math.max(1, ...daily.map((d) => d.handled));
  const total = daily.reduce((sum, d) => sum + d.handled, 0);
  const busiest = daily.reduce<{ date: string; handled: number } | undefined>((best, d) => (d.handled > (best?.handled ?? 0) ? d : best), undefined);
  const slot = WIDTH / Math.max(1, daily.length);
  const plot = HEIGHT - TOP - BOTTOM;
  const first = daily[0];
  const last = daily[daily.length - 1];
  const summary = busiest
    ? t("dashboard.chartSummaryBusiest", { total, days: daily.length, date: format.calendarDate(busiest.date), most: busiest.handled })
    : t("dashboard.chartSummaryEmpty", { days: daily.length });

  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="chart__svg">
        <title id={`${id}-title`}>{t("dashboard.chartTitle")}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <line x1="0" x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} className="chart__axis" />
        {daily.map((d, i) => {
          const height = (d.handled / max) * plot;
          return (
            <rect
              key={d.date}
              x={i * slot + slot * 0.15}
              y={HEIGHT - BOTTOM - height}
              width={slot * 0.7}
              height={Math.max(height, d.handled > 0 ? 1 : 0)}
              className={i === daily.length - 1 ? "chart__bar chart__bar--today" : "chart__bar"}
            >
              <title>{`${format.calendarDate(d.date)}: ${d.handled}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="chart__caption">
        <span>{first ? format.calendarDate(first.date) : ""}</span>
        <span className="chart__summary">{summary}</span>
        <span>{last ? format.calendarDate(last.date) : ""}</span>
      </figcaption>
      <details className="chart__details">
        <summary>{t("dashboard.chartTable")}</summary>
        <div className="table-scroll" role="region" aria-label={t("dashboard.chartTable")} tabIndex={0}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">{t("dashboard.date")}</th>
                <th scope="col">{t("dashboard.handledColumn")}</th>
              </tr>
            </thead>
            <tbody>
              {[...daily].reverse().map((d) => (
                <tr key={d.date}>
                  <td>
                    <time dateTime={d.date}>{format.calendarDate(d.date)}</time>
                  </td>
                  <td className="num">{d.handled}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
