import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { routes } from "../../functions/http/routes";
import { TABLES } from "../../functions/store/tables";
import { loadConfig } from "../../functions/platform/config";
import { ERROR_STATUS } from "../../functions/platform/errors";
import { AUDIT_DENIED_ACTIONS } from "../../lib/constructs/app-tables";
import { auditAccessByFunction } from "./support/audit";
import { logicalIdOf, resourcesOfType, synthesize, type CfnResource, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

let synth: SynthesizedApp;
let api: Template;
let templates: Template[];

beforeAll(() => {
  synth = synthesize();
  const cell = synth.cells[0]!;
  api = synth.template(cell.api);
  templates = [cell.data, cell.workflow, cell.api].map((stack) => synth.template(stack));
}, SYNTH_TIMEOUT_MS);

/** "GET /api/health" for every method of the template, rebuilt from the Resource parent chain. */
function deployedRoutes(template: Template): Set<string> {
  const resources = resourcesOfType(template, "AWS::ApiGateway::Resource");
  const restApiIds = Object.keys(resourcesOfType(template, "AWS::ApiGateway::RestApi"));
  const pathOf = (ref: unknown): string => {
    const parent = ref as { Ref?: string; "Fn::GetAtt"?: [string, string] };
    if (parent["Fn::GetAtt"] && restApiIds.includes(parent["Fn::GetAtt"][0])) return "";
    const resource = parent.Ref ? resources[parent.Ref] : undefined;
    if (!resource?.Properties) throw new Error(`unknown API resource ${JSON.stringify(ref)}`);
    return `${pathOf(resource.Properties.ParentId)}/${String(resource.Properties.PathPart)}`;
  };
  const methods = Object.values(resourcesOfType(template, "AWS::ApiGateway::Method"));
  return new Set(methods.map((m) => `${String(m.Properties?.HttpMethod)} ${pathOf(m.Properties?.ResourceId) || "/"}`));
}

function ourFunctions(template: Template): [string, CfnResource][] {
  // Custom-resource providers of the CDK (e.g. the default security group cleaner) are not ours.
  return Object.entries(resourcesOfType(template, "AWS::Lambda::Function")).filter(([, fn]) => {
    const env = (fn.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    return env?.OFISI_RUNTIME === "cloud";
  });
}

describe("API stack: private network and API", () => {
  it("makes the REST API private, attached to the cell's execute-api endpoint", () => {
    const endpointId = logicalIdOf(synth.cells[0]!.api.node.findChild("Network").node.findChild("ApiEndpoint"));
    api.hasResourceProperties("AWS::ApiGateway::RestApi", {
      EndpointConfiguration: { Types: ["PRIVATE"], VpcEndpointIds: [{ Ref: endpointId }] },
    });
    api.hasResourceProperties("AWS::EC2::VPCEndpoint", {
      VpcEndpointType: "Interface",
      ServiceName: Match.objectLike({ "Fn::Join": ["", Match.arrayWith([Match.stringLikeRegexp("execute-api")])] }),
      PrivateDnsEnabled: true,
    });
  });

  it("allows invoking the API but denies every call that does not come through that endpoint", () => {
    const endpointId = logicalIdOf(synth.cells[0]!.api.node.findChild("Network").node.findChild("ApiEndpoint"));
    api.hasResourceProperties("AWS::ApiGateway::RestApi", {
      Policy: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Allow", Action: "execute-api:Invoke", Resource: "execute-api:/*" }),
          Match.objectLike({
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "execute-api:Invoke",
            Resource: "execute-api:/*",
            Condition: { StringNotEquals: { "aws:SourceVpce": { Ref: endpointId } } },
          }),
        ]),
      },
    });
  });

  it("accepts HTTPS at the endpoint from inside the VPC only", () => {
    api.hasResourceProperties("AWS::EC2::SecurityGroup", {
      SecurityGroupIngress: [Match.objectLike({ IpProtocol: "tcp", FromPort: 443, ToPort: 443, CidrIp: Match.anyValue() })],
      SecurityGroupEgress: Match.anyValue(),
    });
    api.resourceCountIs("AWS::EC2::InternetGateway", 0);
    api.resourceCountIs("AWS::EC2::NatGateway", 0);
  });

  it("traces and access-logs the stage without logging request bodies", () => {
    api.hasResourceProperties("AWS::ApiGateway::Stage", {
      TracingEnabled: true,
      AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }),
      MethodSettings: [Match.objectLike({ DataTraceEnabled: false })],
    });
  });
});

describe("API stack: errors the gateway answers by itself", () => {
  const errorBody = (response: CfnResource | undefined): unknown =>
    JSON.parse(String((response?.Properties?.ResponseTemplates as Record<string, unknown> | undefined)?.["application/json"]));

  it.each([
    ["MISSING_AUTHENTICATION_TOKEN", "404", "NOT_FOUND"],
    ["ACCESS_DENIED", "403", "FORBIDDEN"],
    ["THROTTLED", "429", "RATE_LIMITED"],
    ["REQUEST_TOO_LARGE", "413", "PAYLOAD_TOO_LARGE"],
    ["UNSUPPORTED_MEDIA_TYPE", "415", "UNSUPPORTED_MEDIA_TYPE"],
    ["DEFAULT_4XX", "403", "FORBIDDEN"],
    ["DEFAULT_5XX", "500", "INTERNAL"],
  ])("answers %s with %s and {error:{code:%s, message}} as JSON", (type, status, code) => {
    const responses = Object.values(resourcesOfType(api, "AWS::ApiGateway::GatewayResponse")).filter(
      (r) => r.Properties?.ResponseType === type,
    );
    expect(responses).toHaveLength(1);
    api.hasResourceProperties("AWS::ApiGateway::GatewayResponse", {
      ResponseType: type,
      StatusCode: status,
      RestApiId: { Ref: logicalIdOf(synth.cells[0]!.api.api) },
      ResponseParameters: Match.objectLike({ "gatewayresponse.header.Content-Type": "'application/json; charset=utf-8'" }),
    });
    expect(errorBody(responses[0])).toEqual({ error: { code, message: expect.any(String) } });
  });

  it("uses only codes of the contract, each with its own status, and never the gateway's own message", () => {
    const responses = Object.values(resourcesOfType(api, "AWS::ApiGateway::GatewayResponse"));
    expect(responses.length).toBeGreaterThanOrEqual(7);
    for (const response of responses) {
      const body = errorBody(response) as { error: { code: keyof typeof ERROR_STATUS; message: string } };
      expect(Object.keys(ERROR_STATUS)).toContain(body.error.code);
      expect(response.Properties?.StatusCode).toBe(String(ERROR_STATUS[body.error.code]));
      expect(body.error.message).not.toMatch(/\$context|Missing Authentication Token/);
    }
  });
});

describe("API stack: routes from the route table", () => {
  it("deploys every cloud route of routes.ts as a method with a Lambda proxy integration", () => {
    const deployed = deployedRoutes(api);
    const cloudRoutes = routes.filter((route) => !route.localOnly);
    expect(cloudRoutes.length).toBeGreaterThan(0);
    for (const route of cloudRoutes) expect(deployed, `${route.method} ${route.path}`).toContain(`${route.method} ${route.path}`);
    expect(deployed.size).toBe(cloudRoutes.length);
    api.allResourcesProperties("AWS::ApiGateway::Method", { Integration: Match.objectLike({ Type: "AWS_PROXY" }) });
  });

  it("leaves local-only routes out of the cloud", () => {
    const deployed = deployedRoutes(api);
    const localRoutes = routes.filter((route) => route.localOnly);
    expect(localRoutes.length).toBeGreaterThan(0);
    for (const route of localRoutes) expect(deployed).not.toContain(`${route.method} ${route.path}`);
  });
});

describe("functions", () => {
  it("run every function on Node.js 22, arm64, with active X-Ray tracing", () => {
    const functions = templates.flatMap(ourFunctions);
    expect(functions.length).toBe(synth.cells[0]!.api.functions.size + synth.cells[0]!.workflow.functions.length);
    for (const [id, fn] of functions) {
      expect(fn.Properties, id).toMatchObject({
        Runtime: "nodejs22.x",
        Architectures: ["arm64"],
        TracingConfig: { Mode: "Active" },
        Handler: "index.handler",
      });
    }
  });

  it("give every function the configuration loadConfig() requires", () => {
    for (const [id, fn] of templates.flatMap(ourFunctions)) {
      const variables = (fn.Properties?.Environment as { Variables: Record<string, unknown> }).Variables;
      // Deploy-time values (table names, ARNs) are tokens here; any non-empty string stands in for them.
      const env = Object.fromEntries(
        Object.entries(variables).map(([name, value]) => [name, typeof value === "string" ? value : `<${name}>`]),
      );
      const config = loadConfig({ ...env, AWS_REGION: "af-south-1" });
      expect(config.runtime, id).toBe("cloud");
      expect(env.POWERTOOLS_SERVICE_NAME, id).toBeTruthy();
    }
  });

  it("never lets a function update or delete an Audit entry, nor scan any table", () => {
    let auditStatements = 0;
    for (const template of templates) {
      for (const [id, policy] of Object.entries(resourcesOfType(template, "AWS::IAM::Policy"))) {
        const statements = (
          policy.Properties?.PolicyDocument as { Statement: { Effect: string; Action: string | string[]; Resource: unknown }[] }
        ).Statement;
        for (const statement of statements.filter((s) => s.Effect === "Allow")) {
          const actions = [statement.Action].flat();
          expect(actions, id).not.toContain("dynamodb:Scan");
          expect(actions, id).not.toContain("dynamodb:*");
          if (JSON.stringify(statement.Resource).includes(`Tables${TABLES.audit.name}`)) {
            auditStatements += 1;
            expect(actions).toContain("dynamodb:PutItem");
            for (const forbidden of AUDIT_DENIED_ACTIONS) expect(actions, id).not.toContain(forbidden);
          }
        }
      }
    }
    expect(auditStatements).toBeGreaterThan(0);
  });

  it("explicitly deny every route and workflow function any change or removal of an Audit entry", () => {
    const cell = synth.cells[0]!;
    const access = new Map([...auditAccessByFunction(api), ...auditAccessByFunction(synth.template(cell.workflow))]);
    expect(access.size).toBe(cell.api.functions.size + cell.workflow.functions.length);
    for (const [id, { allowed, denied }] of access) {
      expect(allowed, id).toContain("dynamodb:PutItem");
      expect(denied, id).toEqual(expect.arrayContaining(["dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"]));
      expect(denied, id).toEqual(expect.arrayContaining([...AUDIT_DENIED_ACTIONS]));
    }
  });

  it("let the health function read every component it reports, so a healthy cell is not shown degraded", () => {
    const healthId = logicalIdOf(synth.cells[0]!.api.functions.get("health")!);
    const roleRef = (resourcesOfType(api, "AWS::Lambda::Function")[healthId]?.Properties?.Role as { "Fn::GetAtt": [string, string] })[
      "Fn::GetAtt"
    ][0];
    const actions = Object.values(resourcesOfType(api, "AWS::IAM::Policy"))
      .filter((policy) => JSON.stringify(policy.Properties?.Roles).includes(`"${roleRef}"`))
      .flatMap((policy) => (policy.Properties?.PolicyDocument as { Statement: { Action: string | string[] }[] }).Statement)
      .flatMap((statement) => [statement.Action].flat());
    // database and search: GetItem; storage: HeadBucket (s3:ListBucket); workflow; mail.
    for (const needed of ["dynamodb:GetItem", "s3:List*", "states:DescribeStateMachine", "ses:GetAccount"]) {
      expect(actions).toContain(needed);
    }
  });

  it("raise an alarm on errors and throttles of every function", () => {
    for (const template of templates) {
      for (const [id] of ourFunctions(template)) {
        for (const metric of ["Errors", "Throttles"]) {
          template.hasResourceProperties("AWS::CloudWatch::Alarm", {
            MetricName: metric,
            Namespace: "AWS/Lambda",
            Dimensions: [{ Name: "FunctionName", Value: { Ref: id } }],
            AlarmActions: [Match.anyValue()],
          });
        }
      }
    }
  });
});

describe("attachments access", () => {
  it("lets route functions delete a rejected upload but never a stored version", () => {
    const documents = Object.values(resourcesOfType(api, "AWS::IAM::Policy")).map((p) => JSON.stringify(p.Properties?.PolicyDocument));
    expect(documents.some((doc) => doc.includes('"s3:DeleteObject"'))).toBe(true);
    for (const doc of documents) expect(doc).not.toMatch(/s3:DeleteObjectVersion|s3:DeleteObject\*|"s3:\*"/);
  });
});
