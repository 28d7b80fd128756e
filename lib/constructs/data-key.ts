import { Key } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { DEFAULTS } from "./defaults";

/** The customer-managed key that encrypts a cell's tables and attachments, rotated yearly. */
export class DataKey extends Construct {
  readonly key: Key;

  constructor(scope: Construct, id: string, props: { readonly cellName: string }) {
    super(scope, id);
    this.key = new Key(this, "Key", {
      description: `Ofisi Mtandao data of cell ${props.cellName}: DynamoDB tables and attachments`,
      enableKeyRotation: true,
      removalPolicy: DEFAULTS.dataRemovalPolicy,
      alias: `alias/ofisi/${props.cellName}/data`,
    });
  }
}
