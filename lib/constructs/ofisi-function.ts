import type { Duration } from "aws-cdk-lib";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { NodejsFunction, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import type { Construct } from "constructs";
import { fromRoot } from "../paths";
import { CREATE_REQUIRE_BANNER, ESBUILD_ALIASES, ESBUILD_TARGET } from "./bundling";
import { DEFAULTS } from "./defaults";

export interface OfisiFunctionProps {
  /** Handler entry relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  /** Application environment (table names, bucket, ...); Powertools settings are added here. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: RetentionDays;
  readonly memorySize?: number;
  readonly timeout?: Duration;
}

/**
 * Every Lambda function of Ofisi Mtandao: Node.js 22 on arm64, X-Ray active tracing, its own log
 * group with retention, Powertools configuration, and an ESM bundle built by the local esbuild
 * (no Docker) with the AWS SDK inside, so its version is the one we test against.
 */
export class OfisiFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: OfisiFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention,
      removalPolicy: DEFAULTS.logRemovalPolicy,
    });
    super(scope, id, {
      entry: fromRoot(props.entry),
      handler: "handler",
      description: props.description,
      projectRoot: fromRoot("."),
      depsLockFilePath: fromRoot("package-lock.json"),
      runtime: DEFAULTS.lambda.runtime,
      architecture: DEFAULTS.lambda.architecture,
      tracing: DEFAULTS.lambda.tracing,
      memorySize: props.memorySize ?? DEFAULTS.lambda.memorySize,
      timeout: props.timeout ?? DEFAULTS.lambda.timeout,
      logGroup,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: DEFAULTS.lambda.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: DEFAULTS.lambda.metricsNamespace,
        POWERTOOLS_LOG_LEVEL: DEFAULTS.lambda.logLevel,
        // Stack traces point at the TypeScript sources.
        NODE_OPTIONS: "--enable-source-maps",
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: ESBUILD_TARGET,
        minify: true,
        sourceMap: true,
        // File and line are enough for stack traces; the sources stay out of the deployment package.
        sourcesContent: false,
        // The SDK is bundled, not taken from the runtime: pinned version, tree-shaken, faster start.
        externalModules: [],
        mainFields: ["module", "main"],
        banner: CREATE_REQUIRE_BANNER,
        // esbuild runs in the project root, where the relative alias paths resolve.
        esbuildArgs: { "--alias": Object.entries(ESBUILD_ALIASES).map(([from, to]) => `${from}=${to}`) },
      },
    });
  }
}
