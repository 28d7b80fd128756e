import { useTranslation } from "react-i18next";
import { ApiError } from "../../../lib/api";
import { componentNames, useHealth } from "../api/get-health";
import { StatusBadge } from "./status-badge";

function errorCode(error: unknown): string {
  return error instanceof ApiError ? error.code : "UNKNOWN";
}

export function SystemStatus() {
  const { t, i18n } = useTranslation();
  const { data, error, isPending, isError, isFetching, refetch, dataUpdatedAt } = useHealth();

  const checkedAt =
    dataUpdatedAt > 0
      ? new Intl.DateTimeFormat(i18n.language === "sw" ? "sw-TZ" : "en-GB", { timeStyle: "medium" }).format(dataUpdatedAt)
      : null;

  return (
    <div className="system-status">
      {isError && (
        <div className="alert alert--error" role="alert">
          <p className="alert__title">{t("status.error")}</p>
          <p className="alert__detail">{t("status.errorCode", { code: errorCode(error) })}</p>
          <button type="button" className="button" onClick={() => void refetch()} disabled={isFetching}>
            {t("status.retry")}
          </button>
        </div>
      )}

      {isPending && !isError && (
        <p className="muted" role="status">
          {t("status.loading")}
        </p>
      )}

      {data && (
        <>
          <section
            className={`overall overall--${data.status}`}
            aria-labelledby="overall-heading"
            aria-live="polite"
          >
            <h2 id="overall-heading" className="overall__label">
              {t("status.overallLabel")}
            </h2>
            <p className="overall__value">{t(`status.overall.${data.status}`)}</p>
          </section>

          <section aria-labelledby="components-heading">
            <h2 id="components-heading">{t("status.componentsTitle")}</h2>
            <ul className="component-list">
              {componentNames.map((name) => (
                <li key={name} className="component-list__item">
                  <span className="component-list__name">{t(`status.components.${name}`)}</span>
                  <StatusBadge state={data.components[name]} />
                </li>
              ))}
            </ul>
          </section>

          {checkedAt && <p className="muted small">{t("status.checkedAt", { time: checkedAt })}</p>}
        </>
      )}
    </div>
  );
}
