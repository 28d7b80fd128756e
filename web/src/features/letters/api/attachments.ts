import { useMutation, useQueryClient } from "@tanstack/react-query";
import * as z from "zod";
import { ApiError, apiRequest } from "../../../lib/api";
import { attachmentSchema } from "./schemas";
import { lettersQueryKey } from "./letters";

/** The API's limit (DESIGN.md section 6), checked here too so nobody waits for an upload that will be refused. */
export const maxAttachmentBytes = 25 * 1024 * 1024;

/** Allowed types by file-name extension; browsers often leave `File.type` empty for office documents. */
const typesByExtension: Readonly<Record<string, string>> = {
  pdf: "application/pdf",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  odt: "application/vnd.oasis.opendocument.text",
};

const allowedTypes = new Set(Object.values(typesByExtension));

/** What the file picker offers. */
export const attachmentAccept = [...Object.keys(typesByExtension).map((extension) => `.${extension}`), ...allowedTypes].join(",");

export type AttachmentProblem = "type" | "size" | "empty";

/** The declared type of a chosen file, or why it cannot be attached. */
export function checkAttachment(file: Pick<File, "name" | "type" | "size">): { contentType: string } | { problem: AttachmentProblem } {
  const extension = file.name.includes(".") ? (file.name.split(".").pop() ?? "").toLowerCase() : "";
  const contentType = allowedTypes.has(file.type) ? file.type : typesByExtension[extension];
  if (!contentType) return { problem: "type" };
  if (file.size === 0) return { problem: "empty" };
  if (file.size > maxAttachmentBytes) return { problem: "size" };
  return { contentType };
}

const uploadSlotSchema = z.object({ id: z.string(), uploadUrl: z.string(), expiresAt: z.string() });
const downloadSchema = z.object({ downloadUrl: z.string() });

/** PUTs the bytes to storage with progress; `fetch` cannot report upload progress, XMLHttpRequest can. */
function putWithProgress(url: string, file: Blob, contentType: string, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("PUT", url);
    request.setRequestHeader("Content-Type", contentType);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) onProgress(event.loaded / event.total);
    };
    request.onload = () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(new ApiError(request.status, "UPLOAD_FAILED", `Storage answered ${request.status}`));
      }
    };
    request.onerror = () => reject(new ApiError(0, "NETWORK_ERROR", "The upload could not reach storage"));
    request.onabort = () => reject(new ApiError(0, "ABORTED", "The upload was cancelled"));
    signal?.addEventListener("abort", () => request.abort(), { once: true });
    request.send(file);
  });
}

/**
 * Attaches a file to a letter: asks for an upload slot, sends the bytes, then asks the API to check
 * them (size and leading bytes); a file that fails the check comes back `REJECTED` with a reason.
 */
export async function uploadAttachment(letterId: string, file: File, onProgress: (fraction: number) => void, signal?: AbortSignal) {
  const checked = checkAttachment(file);
  if ("problem" in checked) throw new ApiError(0, checked.problem === "type" ? "UNSUPPORTED_MEDIA_TYPE" : "PAYLOAD_TOO_LARGE", checked.problem);
  const base = `/letters/${encodeURIComponent(letterId)}/attachments`;
  const slot = await apiRequest({
    path: base,
    method: "POST",
    body: { fileName: file.name, contentType: checked.contentType, size: file.size },
    schema: uploadSlotSchema,
    signal,
  });
  await putWithProgress(slot.uploadUrl, file, checked.contentType, onProgress, signal);
  return apiRequest({ path: `${base}/${encodeURIComponent(slot.id)}/complete`, method: "POST", schema: attachmentSchema, signal });
}

export function useUploadAttachment(letterId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ file, onProgress }: { file: File; onProgress: (fraction: number) => void }) => uploadAttachment(letterId, file, onProgress),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...lettersQueryKey, "detail", letterId] }),
  });
}

/** A short-lived address of an attachment's bytes. */
export function attachmentDownloadUrl(letterId: string, attachmentId: string): Promise<string> {
  return apiRequest({
    path: `/letters/${encodeURIComponent(letterId)}/attachments/${encodeURIComponent(attachmentId)}`,
    schema: downloadSchema,
  }).then((answer) => answer.downloadUrl);
}

/**
 * Saves an attachment under its own name. The short-lived address answers with
 * `Content-Disposition: attachment`, so following it saves the file and the page stays; the
 * browser streams the bytes to disk instead of holding them in memory.
 */
export async function downloadAttachment(letterId: string, attachment: { id: string }): Promise<void> {
  const url = await attachmentDownloadUrl(letterId, attachment.id);
  const link = document.createElement("a");
  link.href = url;
  link.rel = "noopener";
  document.body.append(link);
  link.click();
  link.remove();
}
