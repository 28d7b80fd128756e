import { useTranslation } from "react-i18next";
import { ApiError } from "../../../lib/api";
import { checkAttachment, maxAttachmentBytes } from "../api/attachments";
import type { AttachmentProblem } from "../api/attachments";

export type UploadState =
  | { phase: "waiting" }
  | { phase: "uploading"; fraction: number }
  | { phase: "done"; rejected?: string | null }
  | { phase: "failed"; message: string };

/** A file size in the units people read (KB, MB). */
export function formatSize(bytes: number, language: string | undefined): string {
  const locale = language === "en" ? "en-GB" : "sw-TZ";
  const format = (n: number, unit: string) => `${n.toLocaleString(locale, { maximumFractionDigits: 1 })} ${unit}`;
  if (bytes < 1024) return format(bytes, "B");
  if (bytes < 1024 * 1024) return format(bytes / 1024, "KB");
  return format(bytes / (1024 * 1024), "MB");
}

/** The message for a file that cannot be attached. */
export function useProblemText(): (problem: AttachmentProblem) => string {
  const { t, i18n } = useTranslation();
  return (problem) =>
    problem === "type"
      ? t("attachments.problem.type")
      : problem === "empty"
        ? t("attachments.problem.empty")
        : t("attachments.problem.size", { max: formatSize(maxAttachmentBytes, i18n.resolvedLanguage) });
}

/** Words for a failed upload or download, in the user's language. */
export function useTransferErrorText(): (error: unknown) => string {
  const { t } = useTranslation();
  return (error) => {
    const code = error instanceof ApiError ? error.code : "UNKNOWN";
    if (code === "NETWORK_ERROR") return t("errors.NETWORK_ERROR");
    if (code === "FORBIDDEN") return t("errors.FORBIDDEN");
    if (code === "NOT_FOUND") return t("errors.NOT_FOUND");
    // The check after upload found the bytes unlike the declared size or type (the upload is deleted).
    if (code === "PAYLOAD_TOO_LARGE" || code === "UNSUPPORTED_MEDIA_TYPE" || code === "VALIDATION_FAILED") return t("attachments.rejectedBody");
    return t("attachments.failedCode", { code });
  };
}

/** One file's upload: a labelled progress bar while it runs, then its outcome. */
export function UploadProgress({ name, state }: { name: string; state: UploadState }) {
  const { t } = useTranslation();
  const percent = state.phase === "uploading" ? Math.round(state.fraction * 100) : state.phase === "done" ? 100 : 0;
  return (
    <div className="upload">
      <div className="upload__head">
        <span className="upload__name">{name}</span>
        <span className="upload__state" role="status">
          {state.phase === "waiting" && t("attachments.waiting")}
          {state.phase === "uploading" && t("attachments.uploading", { percent })}
          {state.phase === "done" && (state.rejected ? t("attachments.rejected") : t("attachments.uploaded"))}
          {state.phase === "failed" && t("attachments.failed")}
        </span>
      </div>
      {(state.phase === "uploading" || state.phase === "waiting") && (
        <progress className="upload__bar" max={100} value={percent} aria-label={t("attachments.progressOf", { name })} />
      )}
      {state.phase === "done" && state.rejected && (
        <p className="field__error">
          {t("attachments.rejectedBody")} <span className="muted">{state.rejected}</span>
        </p>
      )}
      {state.phase === "failed" && <p className="field__error">{state.message}</p>}
    </div>
  );
}

/** Files chosen in a form, each checked for type and size before anything is sent. */
export function ChosenFiles({ files, onRemove }: { files: readonly File[]; onRemove: (index: number) => void }) {
  const { t, i18n } = useTranslation();
  const problemText = useProblemText();
  if (files.length === 0) return null;
  return (
    <ul className="chosen-files">
      {files.map((file, index) => {
        const checked = checkAttachment(file);
        return (
          <li key={`${file.name}-${index}`} className="chosen-files__item" data-invalid={"problem" in checked ? true : undefined}>
            <span className="chosen-files__name">{file.name}</span>
            <span className="muted small">{formatSize(file.size, i18n.resolvedLanguage)}</span>
            {"problem" in checked && <span className="field__error">{problemText(checked.problem)}</span>}
            <button type="button" className="button button--link" onClick={() => onRemove(index)} aria-label={t("attachments.removeNamed", { name: file.name })}>
              {t("attachments.remove")}
            </button>
          </li>
        );
      })}
    </ul>
  );
}
