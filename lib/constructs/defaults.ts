import { Duration, RemovalPolicy } from "aws-cdk-lib";
import { Architecture, Runtime, Tracing } from "aws-cdk-lib/aws-lambda";

/**
 * Secure and operational defaults of every construct, in one place (STYLE.md practice 7).
 * Constructs read these; stacks never repeat them.
 */
export const DEFAULTS = {
  lambda: {
    runtime: Runtime.NODEJS_22_X,
    architecture: Architecture.ARM_64,
    tracing: Tracing.ACTIVE,
    memorySize: 512,
    timeout: Duration.seconds(10),
    serviceName: "ofisi-mtandao",
    metricsNamespace: "OfisiMtandao",
    logLevel: "INFO",
  },
  /** Data outlives any deployment: tables, bucket and key are kept when a stack is deleted. */
  dataRemovalPolicy: RemovalPolicy.RETAIN,
  /** Logs follow their stack: a deleted cell leaves no orphan log groups. */
  logRemovalPolicy: RemovalPolicy.DESTROY,
  attachments: {
    /** Presigned URLs of the web app are short-lived; browsers cache the CORS answer this long. */
    corsMaxAge: 3000,
    abortIncompleteUploadAfter: Duration.days(1),
  },
} as const;
