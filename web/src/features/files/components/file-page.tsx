import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { ConfirmDialog } from "../../../components/confirm-dialog";
import { ErrorAlert } from "../../../components/form";
import { PageTitle } from "../../../components/page-title";
import { ApiError } from "../../../lib/api";
import { useDateFormat } from "../../../lib/dates";
import { hasRole, useMe } from "../../auth/api/me";
import { useDepartments } from "../../directory/api/departments";
import { OverdueBadge, StatusBadge } from "../../letters/components/letter-badges";
import { useFile, useFileStatusChange } from "../api/files";
import type { FileDetail } from "../api/files";
import { FileStatusBadge } from "./file-status-badge";

/** A registry file: its details, its letters as folios in order, and closing or reopening it. */
export function FilePage({ id }: { id: string }) {
  const { t } = useTranslation();
  const file = useFile(id);

  if (file.isPending) {
    return (
      <p className="muted" role="status">
        {t("common.loading")}
      </p>
    );
  }
  if (file.isError) {
    const missing = file.error instanceof ApiError && file.error.code === "NOT_FOUND";
    return (
      <>
        <PageTitle title={t("files.notFound")} />
        <h1>{missing ? t("files.notFound") : t("files.title")}</h1>
        {missing ? <p>{t("files.notFoundBody")}</p> : <ErrorAlert error={file.error} />}
        <p>
          <Link to="/files">{t("files.backToList")}</Link>
        </p>
      </>
    );
  }
  return <FileView file={file.data} />;
}

function FileView({ file }: { file: FileDetail }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const me = useMe().data;
  const departments = useDepartments().data ?? [];
  const change = useFileStatusChange();
  const [confirmingClose, setConfirmingClose] = useState(false);
  const mayManage = hasRole(me, "registry") || hasRole(me, "admin");
  const department = departments.find((candidate) => candidate.id === file.departmentId);
  const folios = [...file.folios].sort((a, b) => (a.folio ?? 0) - (b.folio ?? 0));

  return (
    <>
      <PageTitle title={`${file.reference} · ${file.title}`} />
      <p className="breadcrumb">
        <Link to="/files">{t("files.backToList")}</Link>
      </p>
      <div className="page-head">
        <p className="page-head__reference">{file.reference}</p>
        <h1>{file.title}</h1>
        <div className="tags">
          <FileStatusBadge status={file.status} />
        </div>
      </div>

      <dl className="details">
        <div>
          <dt>{t("files.reference")}</dt>
          <dd>{file.reference}</dd>
        </div>
        <div>
          <dt>{t("files.department")}</dt>
          <dd>{department ? `${department.name} (${department.code})` : "—"}</dd>
        </div>
        <div>
          <dt>{t("letters.classification.label")}</dt>
          <dd>{t(`letters.classification.${file.classification}`)}</dd>
        </div>
        <div>
          <dt>{t("files.opened")}</dt>
          <dd>
            <time dateTime={file.createdAt}>{format.date(file.createdAt)}</time>
          </dd>
        </div>
        {file.closedAt && (
          <div>
            <dt>{t("files.closed")}</dt>
            <dd>
              <time dateTime={file.closedAt}>{format.date(file.closedAt)}</time>
            </dd>
          </div>
        )}
        {file.description && (
          <div className="details__wide">
            <dt>{t("files.description")}</dt>
            <dd className="preserve-lines">{file.description}</dd>
          </div>
        )}
      </dl>

      {mayManage && (
        <div className="form__actions panel">
          {file.status === "OPEN" ? (
            <button type="button" className="button button--danger-outline" onClick={() => setConfirmingClose(true)} disabled={change.isPending}>
              {t("files.close")}
            </button>
          ) : (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => change.mutate({ id: file.id, change: "reopen", version: file.version })}
              disabled={change.isPending}
            >
              {t("files.reopen")}
            </button>
          )}
        </div>
      )}
      {change.isError && <ErrorAlert error={change.error} />}
      {confirmingClose && (
        <ConfirmDialog
          title={t("files.confirmCloseTitle", { reference: file.reference })}
          confirmLabel={t("files.close")}
          busy={change.isPending}
          onConfirm={() => change.mutate({ id: file.id, change: "close", version: file.version }, { onSettled: () => setConfirmingClose(false) })}
          onCancel={() => setConfirmingClose(false)}
        >
          <p>{t("files.confirmCloseBody")}</p>
        </ConfirmDialog>
      )}

      <section aria-labelledby="folios-heading">
        <h2 id="folios-heading">{t("files.foliosTitle")}</h2>
        {folios.length === 0 ? (
          <p className="empty">{t("files.noFolios")}</p>
        ) : (
          <ol className="record-list folio-list">
            {folios.map((folio) => (
              <li key={folio.id} className="record folio" aria-labelledby={`folio-${folio.id}`}>
                <div className="record__head">
                  <span className="folio__number">{t("files.folioNumber", { folio: folio.folio ?? "—" })}</span>
                  <h3 id={`folio-${folio.id}`} className="record__title">
                    <Link to={`/letters/${encodeURIComponent(folio.id)}`}>{folio.subject}</Link>
                  </h3>
                </div>
                <dl className="record__facts">
                  <div>
                    <dt>{t("letters.reference")}</dt>
                    <dd>{folio.reference}</dd>
                  </div>
                  <div>
                    <dt>{t("files.folioDate")}</dt>
                    <dd>
                      <time dateTime={folio.createdAt}>{format.date(folio.createdAt)}</time>
                    </dd>
                  </div>
                  <div>
                    <dt>{t("letters.status.label")}</dt>
                    <dd>
                      <StatusBadge status={folio.status} />
                      {folio.overdue && <> <OverdueBadge /></>}
                    </dd>
                  </div>
                </dl>
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  );
}
