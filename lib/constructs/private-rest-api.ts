import { RemovalPolicy } from "aws-cdk-lib";
import {
  AccessLogFormat,
  EndpointType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  RestApi,
} from "aws-cdk-lib/aws-apigateway";
import type { IInterfaceVpcEndpoint } from "aws-cdk-lib/aws-ec2";
import { AnyPrincipal, Effect, PolicyDocument, PolicyStatement } from "aws-cdk-lib/aws-iam";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import { DEFAULTS } from "./defaults";

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
 * which carry tokens).
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
