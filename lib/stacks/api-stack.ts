import { CfnOutput, Stack, type StackProps } from "aws-cdk-lib";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import type { RestApi } from "aws-cdk-lib/aws-apigateway";
import type { Construct } from "constructs";
import { routes, type HandlerGroup } from "../../functions/http/routes";
import type { CellConfig } from "../cells";
import { GovernmentLogin } from "../constructs/government-login";
import { LetterWorkflow } from "../constructs/letter-workflow";
import { OfisiFunction } from "../constructs/ofisi-function";
import { OperationalAlarms } from "../constructs/operational-alarms";
import { PrivateNetwork } from "../constructs/private-network";
import { PrivateRestApi } from "../constructs/private-rest-api";
import { PRE_SIGN_UP_ENTRY } from "../../functions/identity/functions";
import { httpEntries, pascalCase } from "../function-entries";
import type { DataStack } from "./data-stack";
import { functionEnvironment, grantAttachments, grantData, grantHealthChecks, grantSendMail, grantWorkflowControl } from "./function-access";
import { letterWorkflowName, type WorkflowStack } from "./workflow-stack";

export interface ApiStackProps extends StackProps {
  readonly cell: CellConfig;
  readonly data: DataStack;
  readonly workflow: WorkflowStack;
}

/**
 * The HTTP side of a cell: the private network, the PRIVATE REST API built from the route table
 * (`functions/http/routes.ts`, local-only routes left out) and one function per route group.
 */
export class ApiStack extends Stack {
  readonly api: RestApi;
  readonly functions: ReadonlyMap<HandlerGroup, IFunction>;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { cell, data, workflow } = props;
    // The functions address the workflow by its ARN, computed from its name, not by reference.
    this.addStackDependency(workflow);
    const workflowArns = LetterWorkflow.arns(this, letterWorkflowName(cell));
    const alarms = new OperationalAlarms(this, "Alarms", { topic: data.alarmTopic });

    const network = new PrivateNetwork(this, "Network", { existingVpc: cell.vpc, logRetention: cell.logRetentionDays });
    const privateApi = new PrivateRestApi(this, "Api", {
      restApiName: `ofisi-${cell.name}-api`,
      endpoint: network.apiEndpoint,
      logRetention: cell.logRetentionDays,
      configureAccountRole: cell.apiGatewayAccountRole,
    });
    this.api = privateApi.api;

    const preSignUp = new OfisiFunction(this, "PreSignUpTrigger", {
      entry: PRE_SIGN_UP_ENTRY,
      description: `Ofisi Mtandao (${cell.name}) user pool pre-sign-up: agency-owned email domains only`,
      environment: { DIRECTORY_TABLE: data.tables.tables.directory.tableName },
      logRetention: cell.logRetentionDays,
    });
    // GetItem only (the domain claim); grantReadData would include Scan.
    data.tables.tables.directory.grant(preSignUp, "dynamodb:GetItem");
    data.key.grantDecrypt(preSignUp);
    alarms.watchFunction("PreSignUpTrigger", preSignUp);
    const login = new GovernmentLogin(this, "Login", {
      fromEmail: cell.mailFrom,
      sesVerifiedDomain: cell.sesIdentity.includes("@") ? undefined : cell.sesIdentity,
      preSignUp,
      deletionProtection: cell.deletionProtection,
    });

    const functions = new Map<HandlerGroup, IFunction>();
    for (const { group, entry } of httpEntries()) {
      const id = `${pascalCase(group)}Handler`;
      const fn = new OfisiFunction(this, id, {
        entry,
        description: `Ofisi Mtandao (${cell.name}) HTTP routes of group ${group}`,
        environment: { ...functionEnvironment(cell, data, workflowArns.stateMachineArn), ...login.environment() },
        logRetention: cell.logRetentionDays,
      });
      if (group === "auth") login.grantSignIn(fn);
      if (group === "health") grantHealthChecks(fn, workflowArns);
      grantData(fn, data);
      grantAttachments(fn, data);
      grantSendMail(this, fn, cell);
      grantWorkflowControl(fn, workflowArns);
      alarms.watchFunction(id, fn);
      functions.set(group, fn);
    }
    this.functions = functions;

    for (const route of routes) {
      if (route.localOnly) continue;
      if (route.group === "dev") throw new Error(`Route ${route.method} ${route.path} of group dev must be localOnly`);
      const handler = functions.get(route.group);
      if (!handler) throw new Error(`Route ${route.method} ${route.path}: no function for group ${route.group}`);
      privateApi.addRoute({ method: route.method, path: route.path, handler });
    }
    alarms.watchApi("Api", this.api);

    new CfnOutput(this, "ApiUrl", {
      description: "Private API base URL (reachable only from inside the VPC, through the execute-api endpoint)",
      value: this.api.url,
    });
    new CfnOutput(this, "ApiEndpointId", { value: network.apiEndpoint.vpcEndpointId });
  }
}
