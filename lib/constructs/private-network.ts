import {
  FlowLogDestination,
  FlowLogTrafficType,
  InterfaceVpcEndpoint,
  InterfaceVpcEndpointAwsService,
  Peer,
  Port,
  SecurityGroup,
  Subnet,
  SubnetType,
  Vpc,
  type IVpc,
  type SubnetSelection,
} from "aws-cdk-lib/aws-ec2";
import { Annotations } from "aws-cdk-lib";
import { LogGroup, type RetentionDays } from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";
import type { ExistingVpc } from "../cells";
import { DEFAULTS } from "./defaults";

export interface PrivateNetworkProps {
  /** Use this VPC (imported by ids, no lookup, so synth stays offline); otherwise create one. */
  readonly existingVpc?: ExistingVpc;
  readonly logRetention: RetentionDays;
}

/**
 * Where the private API is reachable from: a VPC and its `execute-api` interface endpoint, which
 * accepts HTTPS from inside the VPC only. A new VPC has isolated subnets only (no internet
 * gateway, no NAT) and flow logs.
 */
export class PrivateNetwork extends Construct {
  readonly vpc: IVpc;
  readonly apiEndpoint: InterfaceVpcEndpoint;

  constructor(scope: Construct, id: string, props: PrivateNetworkProps) {
    super(scope, id);
    let subnets: SubnetSelection;
    let cidr: string;
    if (props.existingVpc) {
      const existing = props.existingVpc;
      this.vpc = Vpc.fromVpcAttributes(this, "Vpc", {
        vpcId: existing.vpcId,
        vpcCidrBlock: existing.cidrBlock,
        availabilityZones: existing.availabilityZones,
      });
      subnets = {
        subnets: existing.subnetIds.map((subnetId) => {
          const subnet = Subnet.fromSubnetId(this, subnetId, subnetId);
          // An interface endpoint needs no route table, so the imported subnets need not name theirs.
          Annotations.of(subnet).acknowledgeWarning("@aws-cdk/aws-ec2:noSubnetRouteTableId");
          return subnet;
        }),
      };
      cidr = existing.cidrBlock;
    } else {
      const vpc = new Vpc(this, "Vpc", {
        maxAzs: 2,
        natGateways: 0,
        subnetConfiguration: [{ name: "endpoints", subnetType: SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
        flowLogs: {
          all: {
            trafficType: FlowLogTrafficType.ALL,
            destination: FlowLogDestination.toCloudWatchLogs(
              new LogGroup(this, "FlowLogs", { retention: props.logRetention, removalPolicy: DEFAULTS.logRemovalPolicy }),
            ),
          },
        },
      });
      this.vpc = vpc;
      subnets = { subnetType: SubnetType.PRIVATE_ISOLATED };
      cidr = vpc.vpcCidrBlock;
    }

    const endpointSecurityGroup = new SecurityGroup(this, "ApiEndpointSecurityGroup", {
      vpc: this.vpc,
      description: "execute-api endpoint: HTTPS from inside the VPC",
      allowAllOutbound: false,
    });
    endpointSecurityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(443), "HTTPS from the VPC");

    this.apiEndpoint = new InterfaceVpcEndpoint(this, "ApiEndpoint", {
      vpc: this.vpc,
      service: InterfaceVpcEndpointAwsService.APIGATEWAY,
      subnets,
      privateDnsEnabled: true,
      securityGroups: [endpointSecurityGroup],
      open: false,
    });
  }
}
