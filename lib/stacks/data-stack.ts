import { Stack, type StackProps } from "aws-cdk-lib";
import type { Key } from "aws-cdk-lib/aws-kms";
import type { Bucket } from "aws-cdk-lib/aws-s3";
import type { Topic } from "aws-cdk-lib/aws-sns";
import type { Construct } from "constructs";
import type { CellConfig } from "../cells";
import { AlarmTopic } from "../constructs/alarm-topic";
import { AppTables } from "../constructs/app-tables";
import { AttachmentsBucket } from "../constructs/attachments-bucket";
import { DataKey } from "../constructs/data-key";

export interface DataStackProps extends StackProps {
  readonly cell: CellConfig;
}

/**
 * What a cell keeps: its tables, the attachments bucket and the key that encrypts both, plus the
 * cell's alarm topic, which the other stacks notify. Everything that holds data is retained.
 */
export class DataStack extends Stack {
  readonly key: Key;
  readonly tables: AppTables;
  readonly attachments: Bucket;
  readonly alarmTopic: Topic;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { key } = new DataKey(this, "DataKey", { cellName: props.cell.name });
    this.key = key;
    this.tables = new AppTables(this, "Tables", {
      encryptionKey: key,
      deletionProtection: props.cell.deletionProtection,
    });
    this.attachments = new AttachmentsBucket(this, "Attachments", {
      encryptionKey: key,
      appOrigin: new URL(props.cell.appUrl).origin,
    }).bucket;
    this.alarmTopic = new AlarmTopic(this, "Alarms", {
      cellName: props.cell.name,
      alarmEmail: props.cell.alarmEmail,
    }).topic;
  }
}
