import type { Attachment } from "../core/attachments";
import type { RegistryFile } from "../core/files";
import type { HistoryEvent, Letter, Minute } from "../core/letters";

/** Response shapes of the files, letters and attachments routes (DESIGN.md section 6), one function per shape. */

export function fileView(file: RegistryFile) {
  return {
    id: file.id,
    reference: file.reference,
    title: file.title,
    description: file.description,
    departmentId: file.departmentId,
    classification: file.classification,
    status: file.status,
    folioCount: file.folioCount,
    openedBy: file.openedBy,
    createdAt: file.createdAt,
    updatedAt: file.updatedAt,
    closedAt: file.closedAt,
    version: file.version,
  };
}

export function letterView(letter: Letter) {
  return {
    id: letter.id,
    reference: letter.reference,
    direction: letter.direction,
    subject: letter.subject,
    summary: letter.summary,
    sender: letter.sender,
    classification: letter.classification,
    priority: letter.priority,
    status: letter.status,
    assigneeId: letter.assigneeId,
    approverId: letter.approverId,
    departmentId: letter.departmentId,
    fileId: letter.fileId,
    folio: letter.folio,
    dueAt: letter.dueAt,
    overdue: letter.overdue,
    requiresApproval: letter.requiresApproval,
    chain: letter.chain,
    registeredBy: letter.registeredBy,
    createdAt: letter.createdAt,
    updatedAt: letter.updatedAt,
    closedAt: letter.closedAt,
    version: letter.version,
  };
}

export function historyView(event: HistoryEvent) {
  return { ...event };
}

export function minuteView(minute: Minute) {
  return { at: minute.at, authorId: minute.authorId, text: minute.text, version: minute.version };
}

export function attachmentView(attachment: Attachment) {
  return {
    id: attachment.id,
    fileName: attachment.fileName,
    contentType: attachment.contentType,
    size: attachment.size,
    status: attachment.status,
    reason: attachment.reason,
    uploadedBy: attachment.uploadedBy,
    createdAt: attachment.createdAt,
    completedAt: attachment.completedAt,
  };
}

/** A letter as a folio of its file. */
export function folioView(letter: Letter) {
  return {
    folio: letter.folio,
    id: letter.id,
    reference: letter.reference,
    subject: letter.subject,
    direction: letter.direction,
    status: letter.status,
    overdue: letter.overdue && letter.status !== "CLOSED",
    classification: letter.classification,
    createdAt: letter.createdAt,
  };
}
