import { RemovalPolicy } from "aws-cdk-lib";
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  ResponseType,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { IInterfaceVpcEndpoint } from "aws-cdk-lib/aws-ec2";
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from "../../functions/platform/errors";
import { DEFAULTS } from "./defaults";

/**
 * What API Gateway answers by itself (before or instead of a function), in the API's error shape
 * and codes (DESIGN.md section 6) rather than its own `{"message": ...}`; the status is the code's.
 * An unknown route or method, and the local-only `/api/dev/*` routes, come as
 * MISSING_AUTHENTICATION_TOKEN. Messages are fixed texts: the gateway's own say nothing useful.
 */
export const GATEWAY_ERRORS: readonly { type: ResponseType; code: ErrorCode; message: string }[] = [
  { type: ResponseType.MISSING_AUTHENTICATION_TOKEN, code: "NOT_FOUND", message: "Not found" },
  { type: ResponseType.RESOURCE_NOT_FOUND, code: "NOT_FOUND", message: "Not found" },
  { type: ResponseType.ACCESS_DENIED, code: "FORBIDDEN", message: "You are not allowed to do this" },
  { type: ResponseType.UNAUTHORIZED, code: "UNAUTHENTICATED", message: "Sign in to continue" },
  { type: ResponseType.BAD_REQUEST_BODY, code: "VALIDATION_FAILED", message: "The request is not valid" },
  { type: ResponseType.BAD_REQUEST_PARAMETERS, code: "VALIDATION_FAILED", message: "The request is not valid" },
  { type: ResponseType.REQUEST_TOO_LARGE, code: "PAYLOAD_TOO_LARGE", message: "The request is too large" },
  { type: ResponseType.UNSUPPORTED_MEDIA_TYPE, code: "UNSUPPORTED_MEDIA_TYPE", message: "This content type is not accepted" },
  { type: ResponseType.THROTTLED, code: "RATE_LIMITED", message: "Too many requests; try again later" },
  { type: ResponseType.QUOTA_EXCEEDED, code: "RATE_LIMITED", message: "Too many requests; try again later" },
  { type: ResponseType.INTEGRATION_TIMEOUT, code: "UNAVAILABLE", message: "The service did not answer in time; try again shortly" },
  // Every other 4XX the gateway can give here is a refusal (signature, API key, WAF).
  { type: ResponseType.DEFAULT_4XX, code: "FORBIDDEN", message: "You are not allowed to do this" },
  { type: ResponseType.DEFAULT_5XX, code: "INTERNAL", message: "Something went wrong on our side" },
];

/** Quoted, as gateway response headers are mapping expressions; the same headers as http.ts sets. */
const GATEWAY_ERROR_HEADERS: Record<string, string> = {
  "Content-Type": "'application/json; charset=utf-8'",
  "Cache-Control": "'no-store'",
  "X-Content-Type-Options": "'nosniff'",
};

export interface PrivateRestApiProps {
  readonly restApiName: string;
  /** The only way in: calls that do not come through this endpoint are denied. */
  readonly endpoint: IInterfaceVpcEndpoint;
  readonly logRetention: RetentionDays;
  /** Configure the account-wide API Gateway CloudWatch role (one per account and region). */
  readonly configureAccountRole: boolean;
  readonly stageName?: string;
}

export interface ApiRoute {
  readonly method: string;
  readonly path: string;
  readonly handler: IFunction;
}

/**
 * A PRIVATE REST API reachable only through one `execute-api` VPC endpoint: its resource policy
 * allows `execute-api:Invoke` and denies every call whose `aws:SourceVpce` is another endpoint or
 * none. Stage with X-Ray tracing, access logs and error-level execution logs (never request bodies,
 * which carry tokens). The gateway's own errors answer in the API's error shape.
 */
export class PrivateRestApi extends Construct {
  readonly api: RestApi;
  private readonly integrations = new Map<IFunction, LambdaIntegration>();

  constructor(scope: Construct, id: string, props: PrivateRestApiProps) {
    super(scope, id);
    const invoke = {
      principals: [new AnyPrincipal()],
      actions: ["execute-api:Invoke"],
      resources: ["execute-api:/*"],
    };
    const accessLogs = new LogGroup(this, "AccessLogs", {
      retention: props.logRetention,
      removalPolicy: DEFAULTS.logRemovalPolicy,
    });
    this.api = new RestApi(this, "Api", {
      restApiName: props.restApiName,
      description: "Ofisi Mtandao API (private: reachable only through the VPC endpoint)",
      endpointConfiguration: { types: [EndpointType.PRIVATE], vpcEndpoints: [props.endpoint] },
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({ effect: Effect.ALLOW, ...invoke }),
          new PolicyStatement({
            effect: Effect.DENY,
            ...invoke,
            conditions: { StringNotEquals: { "aws:SourceVpce": props.endpoint.vpcEndpointId } },
          }),
        ],
      }),
      cloudWatchRole: props.configureAccountRole,
      // Other cells keep using the account role when this cell is removed.
      cloudWatchRoleRemovalPolicy: props.configureAccountRole ? RemovalPolicy.RETAIN : undefined,
      deployOptions: {
        stageName: props.stageName ?? "prod",
        tracingEnabled: true,
        metricsEnabled: true,
        loggingLevel: MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
      },
    });
    for (const { type, code, message } of GATEWAY_ERRORS) {
      const body: ErrorBody = { error: { code, message } };
      this.api.addGatewayResponse(`Error${type.responseType}`, {
        type,
        statusCode: String(ERROR_STATUS[code]),
        responseHeaders: GATEWAY_ERROR_HEADERS,
        templates: { "application/json": JSON.stringify(body) },
      });
    }
  }

  /** One method with a Lambda proxy integration; a function serving many routes gets one permission. */
  addRoute(route: ApiRoute): void {
    let integration = this.integrations.get(route.handler);
    if (!integration) {
      integration = new LambdaIntegration(route.handler, { proxy: true, scopePermissionToMethod: false });
      this.integrations.set(route.handler, integration);
    }
    this.api.root.resourceForPath(route.path).addMethod(route.method, integration);
  }
}
