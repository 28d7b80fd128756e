import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods, ObjectOwnership } from "aws-cdk-lib/aws-s3";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { DEFAULTS } from "./defaults";

export interface AttachmentsBucketProps {
  readonly encryptionKey: IKey;
  /** Origin of the web app: the only origin allowed to PUT/GET through presigned URLs. */
  readonly appOrigin: string;
}

/**
 * The bucket of letter attachments: private (all public access blocked, owner-enforced objects),
 * TLS only, versioned, encrypted with the cell's key, and open to the web app's presigned
 * browser uploads and downloads through CORS.
 */
export class AttachmentsBucket extends Construct {
  readonly bucket: Bucket;

  constructor(scope: Construct, id: string, props: AttachmentsBucketProps) {
    super(scope, id);
    this.bucket = new Bucket(this, "Bucket", {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      encryption: BucketEncryption.KMS,
      encryptionKey: props.encryptionKey,
      // One KMS call per bucket key, not per object.
      bucketKeyEnabled: true,
      removalPolicy: DEFAULTS.dataRemovalPolicy,
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: DEFAULTS.attachments.abortIncompleteUploadAfter }],
      cors: [
        {
          allowedOrigins: [props.appOrigin],
          allowedMethods: [HttpMethods.PUT, HttpMethods.GET, HttpMethods.HEAD],
          allowedHeaders: ["*"],
          exposedHeaders: ["ETag"],
          maxAge: DEFAULTS.attachments.corsMaxAge,
        },
      ],
    });
  }
}
