import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useDateFormat } from "../../../lib/dates";
import { attachmentAccept, checkAttachment, downloadAttachment, useUploadAttachment } from "../api/attachments";
import type { Attachment, LetterDetail } from "../api/schemas";
import { formatSize, UploadProgress, useProblemText, useTransferErrorText } from "./attachment-uploads";
import type { UploadState } from "./attachment-uploads";

type Upload = { key: number; name: string; state: UploadState };

/** A letter's attachments: download each, and upload more with progress. */
export function LetterAttachments({ letter, nameOf }: { letter: LetterDetail; nameOf: (id: string | null | undefined) => string }) {
  const { t } = useTranslation();
  const upload = useUploadAttachment(letter.id);
  const problemText = useProblemText();
  const transferErrorText = useTransferErrorText();
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [nextKey, setNextKey] = useState(0);

  async function uploadChosen(files: File[]) {
    const started = files.map((file, index) => ({ key: nextKey + index, name: file.name, file }));
    setNextKey((key) => key + files.length);
    const update = (key: number, state: UploadState) => setUploads((current) => current.map((item) => (item.key === key ? { ...item, state } : item)));
    setUploads((current) => [
      ...current,
      ...started.map(({ key, name, file }) => {
        const checked = checkAttachment(file);
        const state: UploadState = "problem" in checked ? { phase: "failed", message: problemText(checked.problem) } : { phase: "waiting" };
        return { key, name, state };
      }),
    ]);
    for (const { key, file } of started) {
      if ("problem" in checkAttachment(file)) continue;
      update(key, { phase: "uploading", fraction: 0 });
      try {
        const stored = await upload.mutateAsync({ file, onProgress: (fraction) => update(key, { phase: "uploading", fraction }) });
        update(key, { phase: "done", rejected: stored.status === "REJECTED" ? (stored.reason ?? t("attachments.rejected")) : null });
      } catch (error) {
        update(key, { phase: "failed", message: transferErrorText(error) });
      }
    }
  }

  // Only kept files are listed: a pending upload may never finish, and a refused one was deleted
  // (its uploader saw why, below the upload field).
  const shown = letter.attachments.filter((attachment) => attachment.status === "ACCEPTED");
  return (
    <>
      {shown.length === 0 ? (
        <p className="muted">{t("attachments.none")}</p>
      ) : (
        <ul className="attachment-list">
          {shown.map((attachment) => (
            <AttachmentRow key={attachment.id} letterId={letter.id} attachment={attachment} nameOf={nameOf} />
          ))}
        </ul>
      )}
      <div className="field">
        <label className="field__label" htmlFor="attachment-upload">
          {t("attachments.upload")}
        </label>
        <p id="attachment-upload-hint" className="field__hint">
          {t("attachments.hint")}
        </p>
        <input
          id="attachment-upload"
          type="file"
          multiple
          accept={attachmentAccept}
          aria-describedby="attachment-upload-hint"
          onChange={(event) => {
            const chosen = [...(event.target.files ?? [])];
            event.target.value = "";
            if (chosen.length > 0) void uploadChosen(chosen);
          }}
        />
      </div>
      {uploads.map((item) => (
        <UploadProgress key={item.key} name={item.name} state={item.state} />
      ))}
    </>
  );
}

function AttachmentRow({ letterId, attachment, nameOf }: { letterId: string; attachment: Attachment; nameOf: (id: string | null | undefined) => string }) {
  const { t, i18n } = useTranslation();
  const format = useDateFormat();
  const transferErrorText = useTransferErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setBusy(true);
    setError(null);
    try {
      await downloadAttachment(letterId, attachment);
    } catch (failure) {
      setError(transferErrorText(failure));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="attachment">
      <div className="attachment__about">
        <span className="attachment__name">{attachment.fileName}</span>
        <span className="muted small">
          {formatSize(attachment.size, i18n.resolvedLanguage)} · {nameOf(attachment.uploadedBy)} ·{" "}
          <time dateTime={attachment.createdAt}>{format.dateTime(attachment.createdAt)}</time>
        </span>
        {error && (
          <span className="field__error" role="alert">
            {error}
          </span>
        )}
      </div>
      <button
        type="button"
        className="button button--secondary"
        onClick={() => void download()}
        disabled={busy}
        aria-label={t("attachments.downloadNamed", { name: attachment.fileName })}
      >
        {busy ? t("attachments.downloading") : t("attachments.download")}
      </button>
    </li>
  );
}
