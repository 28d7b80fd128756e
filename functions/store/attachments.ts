import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { ATTACHMENT_STATUSES, isAllowedType, SNIFF_BYTES, type Attachment, type AttachmentStatus } from "../core/attachments";
import { str } from "./records";
import type { TaggedItem } from "./transact";

/**
 * Attachments: records in the Letters table, bytes in the attachments bucket. Key formats (owned here):
 * - record: pk `AGENCY#<agencyId>#LETTER#<letterId>` (the letter's partition)  sk `ATTACHMENT#<id>`
 * - object: `<agencyId>/<letterId>/<attachmentId>` in the bucket
 * The browser PUTs the bytes to a presigned URL; `inspect` then reads what was stored (its size
 * and leading bytes) so the application can accept it or delete it.
 */

export const UPLOAD_URL_SECONDS = 15 * 60;
export const DOWNLOAD_URL_SECONDS = 5 * 60;

export class AttachmentStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    readonly table: string,
    private readonly s3: S3Client,
    readonly bucket: string,
  ) {}

  static recordKey(agencyId: string, letterId: string, attachmentId: string) {
    return { pk: `AGENCY#${agencyId}#LETTER#${letterId}`, sk: `ATTACHMENT#${attachmentId}` };
  }

  static objectKey(agencyId: string, letterId: string, attachmentId: string): string {
    return `${agencyId}/${letterId}/${attachmentId}`;
  }

  async get(agencyId: string, letterId: string, attachmentId: string): Promise<Attachment | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: AttachmentStore.recordKey(agencyId, letterId, attachmentId), ConsistentRead: true }),
    );
    return out.Item ? toAttachment(out.Item) : undefined;
  }

  /** The transaction part that records a new (pending) attachment. */
  create(agencyId: string, attachment: Attachment): TaggedItem {
    return {
      tag: "attachment",
      item: {
        Put: {
          TableName: this.table,
          Item: { ...AttachmentStore.recordKey(agencyId, attachment.letterId, attachment.id), type: "attachment", ...attachment },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    };
  }

  /** The transaction part that settles a pending attachment (accepted or rejected), once. */
  settle(agencyId: string, attachment: Attachment): TaggedItem {
    return {
      tag: "attachment",
      item: {
        Put: {
          TableName: this.table,
          Item: { ...AttachmentStore.recordKey(agencyId, attachment.letterId, attachment.id), type: "attachment", ...attachment },
          ConditionExpression: "#status = :pending",
          ExpressionAttributeNames: { "#status": "status" },
          ExpressionAttributeValues: { ":pending": "PENDING" },
        },
      },
    };
  }

  async uploadUrl(agencyId: string, attachment: Attachment): Promise<string> {
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: AttachmentStore.objectKey(agencyId, attachment.letterId, attachment.id),
        ContentType: attachment.contentType,
      }),
      { expiresIn: UPLOAD_URL_SECONDS },
    );
  }

  async downloadUrl(agencyId: string, attachment: Attachment): Promise<string> {
    const fileName = attachment.fileName.replace(/["\\\r\n]/g, "_");
    return getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: AttachmentStore.objectKey(agencyId, attachment.letterId, attachment.id),
        ResponseContentType: attachment.contentType,
        ResponseContentDisposition: `attachment; filename="${fileName}"; filename*=UTF-8''${encodeURIComponent(attachment.fileName)}`,
      }),
      { expiresIn: DOWNLOAD_URL_SECONDS },
    );
  }

  /** The stored object's size and leading bytes, or null when nothing was uploaded. */
  async inspect(agencyId: string, attachment: Attachment): Promise<{ size: number; head: Uint8Array } | null> {
    const key = AttachmentStore.objectKey(agencyId, attachment.letterId, attachment.id);
    let size: number;
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      size = Number(head.ContentLength ?? 0);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    if (size === 0) return { size, head: new Uint8Array() };
    const object = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${SNIFF_BYTES - 1}` }));
    const bytes = object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
    return { size, head: bytes.slice(0, SNIFF_BYTES) };
  }

  async deleteObject(agencyId: string, attachment: Attachment): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: AttachmentStore.objectKey(agencyId, attachment.letterId, attachment.id) }));
  }
}

function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as Error & { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === "NotFound" || error.name === "NoSuchKey" || status === 404;
}

export function toAttachment(item: Record<string, unknown>): Attachment {
  const contentType = String(item.contentType);
  return {
    id: String(item.id),
    letterId: String(item.letterId),
    fileName: String(item.fileName),
    contentType: isAllowedType(contentType) ? contentType : "application/pdf",
    size: Number(item.size),
    status: (ATTACHMENT_STATUSES as readonly unknown[]).includes(item.status) ? (item.status as AttachmentStatus) : "REJECTED",
    reason: str(item.reason),
    uploadedBy: String(item.uploadedBy),
    createdAt: String(item.createdAt),
    completedAt: str(item.completedAt),
  };
}
