/**
 * Letter attachments (DESIGN.md section 6): the allowed types, the 25 MiB limit, and the check of
 * an uploaded object's leading bytes against its declared type. The browser uploads straight to
 * storage, which checks nothing (s3rver) or little (S3), so the application checks after upload.
 */

export const MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024;

export const ATTACHMENT_TYPES = {
  "application/pdf": { label: "PDF", extensions: ["pdf"] },
  "image/png": { label: "PNG", extensions: ["png"] },
  "image/jpeg": { label: "JPEG", extensions: ["jpg", "jpeg"] },
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { label: "DOCX", extensions: ["docx"] },
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { label: "XLSX", extensions: ["xlsx"] },
  "application/vnd.oasis.opendocument.text": { label: "ODT", extensions: ["odt"] },
} as const;

export type AttachmentType = keyof typeof ATTACHMENT_TYPES;
export const ATTACHMENT_CONTENT_TYPES = Object.keys(ATTACHMENT_TYPES) as AttachmentType[];

export function isAllowedType(contentType: string): contentType is AttachmentType {
  return Object.hasOwn(ATTACHMENT_TYPES, contentType);
}

/** How many leading bytes `matchesDeclaredType` needs. */
export const SNIFF_BYTES = 128;

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const ZIP = [0x50, 0x4b, 0x03, 0x04]; // DOCX, XLSX and ODT are zip packages

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((b, i) => bytes[offset + i] === b);
}

/**
 * Whether the leading bytes fit the declared type. DOCX and XLSX are told only as zip packages
 * (their parts lie deeper than a prefix); an ODT names its type in its first, stored entry.
 */
export function matchesDeclaredType(contentType: AttachmentType, head: Uint8Array): boolean {
  switch (contentType) {
    case "application/pdf":
      return startsWith(head, PDF);
    case "image/png":
      return startsWith(head, PNG);
    case "image/jpeg":
      return startsWith(head, JPEG);
    case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
    case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
      return startsWith(head, ZIP);
    case "application/vnd.oasis.opendocument.text": {
      if (!startsWith(head, ZIP)) return false;
      const text = Buffer.from(head).toString("latin1");
      return text.includes("mimetypeapplication/vnd.oasis.opendocument.text");
    }
  }
}

export const ATTACHMENT_STATUSES = ["PENDING", "ACCEPTED", "REJECTED"] as const;
export type AttachmentStatus = (typeof ATTACHMENT_STATUSES)[number];

export interface Attachment {
  id: string;
  letterId: string;
  fileName: string;
  contentType: AttachmentType;
  size: number;
  status: AttachmentStatus;
  /** Why an upload was rejected. */
  reason: string | null;
  uploadedBy: string;
  createdAt: string;
  completedAt: string | null;
}

/** The outcome of checking a stored object against its declared size and type. */
export function checkUpload(
  attachment: Pick<Attachment, "size" | "contentType">,
  stored: { size: number; head: Uint8Array },
): { ok: true } | { ok: false; reason: string; code: "size" | "type" } {
  if (stored.size !== attachment.size) {
    return { ok: false, code: "size", reason: `The uploaded file has ${stored.size} bytes, not the ${attachment.size} declared` };
  }
  if (!matchesDeclaredType(attachment.contentType, stored.head)) {
    return { ok: false, code: "type", reason: `The uploaded file is not a ${ATTACHMENT_TYPES[attachment.contentType].label} file` };
  }
  return { ok: true };
}
