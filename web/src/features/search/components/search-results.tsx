import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { ErrorAlert } from "../../../components/form";
import { useDateFormat } from "../../../lib/dates";
import { FileStatusBadge } from "../../files/components/file-status-badge";
import { OverdueBadge, StatusBadge } from "../../letters/components/letter-badges";
import { resultPath, searchKinds, searchStatuses, useSearchResults, type SearchFilter, type SearchItem } from "../api/search";
import { Highlight, searchTerms } from "./highlight";
import "../search.css";

const isDate = (value: string | null): value is string => value !== null && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** The results page: the query and its filters live in the address, so a search can be shared and reloaded. */
export function SearchResults() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filter: SearchFilter = {
    q: params.get("q") ?? "",
    kind: searchKinds.find((k) => k === params.get("kind")),
    status: searchStatuses.find((s) => s === params.get("status")),
    from: isDate(params.get("from")) ? (params.get("from") ?? undefined) : undefined,
    to: isDate(params.get("to")) ? (params.get("to") ?? undefined) : undefined,
  };
  const results = useSearchResults(filter);
  const items = results.data?.pages.flatMap((page) => page.items) ?? [];
  const terms = searchTerms(filter.q);

  function set(name: keyof SearchFilter, value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: name !== "q" },
    );
  }

  return (
    <>
      <form
        className="search-form"
        role="search"
        aria-label={t("search.label")}
        onSubmit={(event) => {
          event.preventDefault();
          const value = new FormData(event.currentTarget).get("q");
          set("q", typeof value === "string" ? value.trim() : "");
        }}
      >
        <div className="field search-form__query">
          <label className="field__label" htmlFor="search-q">
            {t("search.label")}
          </label>
          <input id="search-q" name="q" type="search" defaultValue={filter.q} key={filter.q} maxLength={200} placeholder={t("search.placeholder")} />
        </div>
        <button type="submit" className="button">
          {t("search.submit")}
        </button>
      </form>

      <div className="filters search-filters">
        <div className="field">
          <label className="field__label" htmlFor="search-kind">
            {t("search.kind.label")}
          </label>
          <select id="search-kind" value={filter.kind ?? ""} onChange={(event) => set("kind", event.target.value)}>
            <option value="">{t("search.kind.all")}</option>
            {searchKinds.map((kind) => (
              <option key={kind} value={kind}>
                {t(`search.kind.${kind}s`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="search-status">
            {t("search.status")}
          </label>
          <select id="search-status" value={filter.status ?? ""} onChange={(event) => set("status", event.target.value)}>
            <option value="">{t("search.anyStatus")}</option>
            {searchStatuses.map((status) => (
              <option key={status} value={status}>
                {status === "OPEN" ? t("files.status.OPEN") : t(`letters.status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label className="field__label" htmlFor="search-from">
            {t("search.from")}
          </label>
          <input id="search-from" type="date" value={filter.from ?? ""} max={filter.to} onChange={(event) => set("from", event.target.value)} />
        </div>
        <div className="field">
          <label className="field__label" htmlFor="search-to">
            {t("search.to")}
          </label>
          <input id="search-to" type="date" value={filter.to ?? ""} min={filter.from} onChange={(event) => set("to", event.target.value)} />
        </div>
      </div>

      <section aria-labelledby="search-results-heading">
        <h2 id="search-results-heading">{t("search.results")}</h2>
        {!filter.q && <p className="empty">{t("search.typeSomething")}</p>}
        {filter.q && results.isPending && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )}
        {results.isError && <ErrorAlert error={results.error} />}
        {results.isSuccess && items.length === 0 && !results.hasNextPage && <p className="empty">{t("search.none")}</p>}
        <ul className="record-list search-results">
          {items.map((item) => (
            <SearchResult key={`${item.kind}-${item.id}`} item={item} terms={terms} />
          ))}
        </ul>
        {results.hasNextPage && (
          <button type="button" className="button button--secondary" onClick={() => void results.fetchNextPage()} disabled={results.isFetchingNextPage}>
            {t("search.more")}
          </button>
        )}
      </section>
    </>
  );
}

function SearchResult({ item, terms }: { item: SearchItem; terms: string[] }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const titleId = `result-${item.kind}-${item.id}`;
  return (
    <li className="record" aria-labelledby={titleId}>
      <div className="record__head">
        <h3 id={titleId} className="record__title">
          <Link to={resultPath(item)}>
            <Highlight text={item.title} terms={terms} />
          </Link>
        </h3>
        {item.kind === "file" && (item.status === "OPEN" || item.status === "CLOSED") ? (
          <FileStatusBadge status={item.status} />
        ) : item.status !== "OPEN" ? (
          <StatusBadge status={item.status} />
        ) : null}
        {item.overdue && <OverdueBadge />}
      </div>
      <dl className="record__facts">
        <div>
          <dt>{t("search.kind.label")}</dt>
          <dd>{t(`search.kind.${item.kind}`)}</dd>
        </div>
        <div>
          <dt>{t("letters.reference")}</dt>
          <dd>
            <Highlight text={item.reference} terms={terms} />
          </dd>
        </div>
        <div>
          <dt>{t("search.date")}</dt>
          <dd>
            <time dateTime={item.date}>{format.date(item.date)}</time>
          </dd>
        </div>
      </dl>
    </li>
  );
}
