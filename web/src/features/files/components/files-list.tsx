import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { ErrorAlert, SuccessNote } from "../../../components/form";
import { useDateFormat } from "../../../lib/dates";
import { hasRole, useMe } from "../../auth/api/me";
import { useDepartments } from "../../directory/api/departments";
import { fileStatuses, useFiles } from "../api/files";
import type { RegistryFile } from "../api/files";
import { FileStatusBadge } from "./file-status-badge";
import { NewFileForm } from "./new-file-form";

/** Registry files with status and department filters (kept in the address, so a filtered list can be shared). */
export function FilesList() {
  const { t } = useTranslation();
  const me = useMe().data;
  const departments = useDepartments().data ?? [];
  const [params, setParams] = useSearchParams();
  const status = fileStatuses.find((value) => value === params.get("status"));
  const departmentId = params.get("department") ?? undefined;
  const list = useFiles({ status, departmentId });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<RegistryFile | null>(null);
  const mayManage = hasRole(me, "registry") || hasRole(me, "admin");
  const files = list.data?.pages.flatMap((page) => page.items) ?? [];
  const departmentName = (id: string) => departments.find((department) => department.id === id)?.name ?? "";

  function setFilter(name: "status" | "department", value: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (value) next.set(name, value);
        else next.delete(name);
        return next;
      },
      { replace: true },
    );
  }

  return (
    <>
      <div className="toolbar">
        <div className="filters">
          <div className="field">
            <label className="field__label" htmlFor="files-status">
              {t("files.status.label")}
            </label>
            <select id="files-status" value={status ?? ""} onChange={(event) => setFilter("status", event.target.value)}>
              <option value="">{t("files.status.all")}</option>
              {fileStatuses.map((value) => (
                <option key={value} value={value}>
                  {t(`files.status.${value}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="files-department">
              {t("files.department")}
            </label>
            <select id="files-department" value={departmentId ?? ""} onChange={(event) => setFilter("department", event.target.value)}>
              <option value="">{t("files.allDepartments")}</option>
              {departments.map((department) => (
                <option key={department.id} value={department.id}>
                  {department.name}
                </option>
              ))}
            </select>
          </div>
        </div>
        {mayManage && !creating && (
          <button
            type="button"
            className="button"
            onClick={() => {
              setCreated(null);
              setCreating(true);
            }}
          >
            {t("files.new")}
          </button>
        )}
      </div>

      {created && (
        <SuccessNote>
          {t("files.created", { reference: created.reference })} <Link to={`/files/${encodeURIComponent(created.id)}`}>{t("files.open")}</Link>
        </SuccessNote>
      )}

      {creating && (
        <section className="card panel" aria-labelledby="new-file-heading">
          <h2 id="new-file-heading">{t("files.newTitle")}</h2>
          <NewFileForm
            onCreated={(file) => {
              setCreated(file);
              setCreating(false);
            }}
            onCancel={() => setCreating(false)}
          />
        </section>
      )}

      <section aria-labelledby="files-list-heading">
        <h2 id="files-list-heading">{t("files.listTitle")}</h2>
        {list.isPending && (
          <p className="muted" role="status">
            {t("common.loading")}
          </p>
        )}
        {list.isError && <ErrorAlert error={list.error} />}
        {list.isSuccess && files.length === 0 && <p className="empty">{status || departmentId ? t("files.noMatch") : t("files.none")}</p>}
        <ul className="record-list">
          {files.map((file) => (
            <FileCard key={file.id} file={file} departmentName={departmentName(file.departmentId)} />
          ))}
        </ul>
        {list.hasNextPage && (
          <button type="button" className="button button--secondary" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
            {t("letters.loadMore")}
          </button>
        )}
      </section>
    </>
  );
}

function FileCard({ file, departmentName }: { file: RegistryFile; departmentName: string }) {
  const { t } = useTranslation();
  const format = useDateFormat();
  const titleId = `file-${file.id}-title`;
  return (
    <li className="record" aria-labelledby={titleId}>
      <div className="record__head">
        <h3 id={titleId} className="record__title">
          <Link to={`/files/${encodeURIComponent(file.id)}`}>{file.title}</Link>
        </h3>
        <FileStatusBadge status={file.status} />
      </div>
      <dl className="record__facts">
        <div>
          <dt>{t("files.reference")}</dt>
          <dd>{file.reference}</dd>
        </div>
        <div>
          <dt>{t("files.department")}</dt>
          <dd>{departmentName || "—"}</dd>
        </div>
        <div>
          <dt>{t("files.folios")}</dt>
          <dd>{file.folioCount ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("files.opened")}</dt>
          <dd>
            <time dateTime={file.createdAt}>{format.date(file.createdAt)}</time>
          </dd>
        </div>
      </dl>
    </li>
  );
}
