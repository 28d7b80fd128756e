import { useTranslation } from "react-i18next";
import type { FileStatus } from "../api/files";

export function FileStatusBadge({ status }: { status: FileStatus }) {
  const { t } = useTranslation();
  return <span className={status === "OPEN" ? "badge badge--ok" : "badge badge--closed"}>{t(`files.status.${status}`)}</span>;
}
