import { beforeAll, describe, expect, it } from "vitest";
import { Match } from "aws-cdk-lib/assertions";
import { parseCells } from "../../lib/cells";
import { stackName } from "../../lib/ofisi-app";
import { cdkJsonContext, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

const TRA_VPC = {
  vpcId: "vpc-0a1b2c3d4e5f60718",
  cidrBlock: "10.40.0.0/16",
  subnetIds: ["subnet-0aaa1111bbbb2222c", "subnet-0ddd3333eeee4444f"],
  availabilityZones: ["af-south-1a", "af-south-1b"],
};

let synth: SynthesizedApp;

beforeAll(() => {
  synth = synthesize({
    context: {
      // As `-c cells=...` delivers it: a JSON string.
      cells: JSON.stringify([
        { name: "shared" },
        { name: "tra", mailFrom: "barua@tra.go.tz", appUrl: "https://ofisi.tra.go.tz", vpc: TRA_VPC },
      ]),
    },
  });
}, SYNTH_TIMEOUT_MS);

describe("cells", () => {
  it("gives a second cell listed in the context its own data, workflow and API stacks", () => {
    const names = synth.app.node.children.map((child) => child.node.id);
    for (const cell of ["shared", "tra"]) {
      for (const part of ["Data", "Workflow", "Api"] as const) expect(names).toContain(stackName(cell, part));
    }
    const tra = synth.cells[1]!;
    synth.template(tra.data).resourceCountIs("AWS::DynamoDB::Table", 6);
    synth.template(tra.workflow).hasResourceProperties("AWS::StepFunctions::StateMachine", {
      StateMachineName: "ofisi-tra-letter-workflow",
    });
    synth.template(tra.api).hasResourceProperties("AWS::ApiGateway::RestApi", { Name: "ofisi-tra-api" });
  });

  it("applies a cell's own settings to its functions and leaves the other cells on the defaults", () => {
    const mailFrom = (cell: number) =>
      synth.template(synth.cells[cell]!.api).hasResourceProperties("AWS::Lambda::Function", {
        Environment: { Variables: Match.objectLike({ MAIL_FROM: cell === 1 ? "barua@tra.go.tz" : cdkJsonContext().mailFrom }) },
      });
    mailFrom(0);
    mailFrom(1);
    synth.template(synth.cells[1]!.api).hasResourceProperties("AWS::IAM::Policy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ["ses:SendEmail", "ses:SendRawEmail"],
            Resource: { "Fn::Join": ["", Match.arrayWith([":identity/tra.go.tz"])] },
          }),
        ]),
      },
    });
  });

  it("places a cell's API endpoint in an existing VPC given by ids, without any lookup", () => {
    const tra = synth.template(synth.cells[1]!.api);
    tra.resourceCountIs("AWS::EC2::VPC", 0);
    tra.hasResourceProperties("AWS::EC2::VPCEndpoint", { VpcId: TRA_VPC.vpcId, SubnetIds: TRA_VPC.subnetIds });
    tra.hasResourceProperties("AWS::EC2::SecurityGroup", {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: TRA_VPC.cidrBlock, FromPort: 443 })],
    });
    synth.template(synth.cells[0]!.api).resourceCountIs("AWS::EC2::VPC", 1);
    // A lookup would leave missing context, which fails `cdk synth` offline.
    expect(synth.missingContext).toEqual([]);
  });

  it("lets only the first cell configure the account-wide API Gateway logging role", () => {
    synth.template(synth.cells[0]!.api).resourceCountIs("AWS::ApiGateway::Account", 1);
    synth.template(synth.cells[1]!.api).resourceCountIs("AWS::ApiGateway::Account", 0);
  });
});

describe("cell configuration", () => {
  const read = (context: Record<string, unknown>) => (key: string) => ({ ...cdkJsonContext(), ...context })[key];

  it("reads the cells of cdk.json with their defaults", () => {
    const [shared] = parseCells(read({}));
    expect(shared).toMatchObject({ name: "shared", sesIdentity: "ofisi.go.tz", deletionProtection: true, logRetentionDays: 90 });
  });

  it("refuses a cell listed twice", () => {
    expect(() => parseCells(read({ cells: [{ name: "tra" }, { name: "tra" }] }))).toThrow(/tra is listed twice/);
  });

  it("names the setting that is wrong", () => {
    expect(() => parseCells(read({ cells: [{ name: "tra", vpc: { ...TRA_VPC, vpcId: "my-vpc" } }] }))).toThrow(/vpcId/);
    expect(() => parseCells(read({ appUrl: "not a url" }))).toThrow(/appUrl/);
    expect(() => parseCells(read({ logRetentionDays: 45 }))).toThrow(/logRetentionDays/);
    expect(() => parseCells(read({ cells: [{ name: "Big Agency" }] }))).toThrow(/cell name/);
  });
});
