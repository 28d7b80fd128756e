import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from "aws-cdk-lib/aws-dynamodb";
import { Effect, PolicyStatement, type IGrantable } from "aws-cdk-lib/aws-iam";
import type { IKey } from "aws-cdk-lib/aws-kms";
import { Construct } from "constructs";
import { TABLES, TABLE_KEYS, type TableKey, type TableSpec } from "../../functions/store/tables";
import { DEFAULTS } from "./defaults";

export interface AppTablesProps {
  readonly encryptionKey: IKey;
  readonly deletionProtection: boolean;
}

/**
 * Item reads and writes of the request path. No Scan (every request-path read is on a key,
 * DESIGN.md section 3) and no stream reads (stream consumers get those from their event source).
 */
export const APPLICATION_DATA_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
] as const;

/** DynamoDB actions of an append-only table: add items and read them, never change or remove one. */
export const APPEND_ONLY_ACTIONS = [
  "dynamodb:PutItem",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:ConditionCheckItem",
  "dynamodb:DescribeTable",
] as const;

/**
 * Denied on the Audit table to every function with data access, whatever else it is granted:
 * item changes and removals, including through PartiQL, and BatchWriteItem, whose delete
 * requests IAM does not check as DeleteItem. Transactions are checked per item as Update/Delete.
 */
export const AUDIT_DENIED_ACTIONS = [
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
  "dynamodb:BatchWriteItem",
] as const;

/**
 * The application's DynamoDB tables, one per entry of `functions/store/tables.ts`: `pk`/`sk`
 * string keys, generic `gsiN` indexes, streams and TTL as specified; on-demand, point-in-time
 * recovery, encrypted with the cell's customer-managed key, retained when the stack goes.
 */
export class AppTables extends Construct {
  readonly tables: Readonly<Record<TableKey, Table>>;

  constructor(scope: Construct, id: string, props: AppTablesProps) {
    super(scope, id);
    const tables = {} as Record<TableKey, Table>;
    for (const key of TABLE_KEYS) tables[key] = this.createTable(TABLES[key], props);
    this.tables = tables;
  }

  /** Environment variables that carry the physical table names (`FILES_TABLE`, ...). */
  environment(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const key of TABLE_KEYS) env[TABLES[key].envVar] = this.tables[key].tableName;
    return env;
  }

  /**
   * Read and write every table, except that the Audit table is append-only (DESIGN.md section 3):
   * its history is hash-chained, so no function may update or delete an entry.
   */
  grantApplicationAccess(grantee: IGrantable): void {
    for (const key of TABLE_KEYS) {
      if (key === "audit") this.grantAppendOnly(grantee, key);
      else this.grantActions(grantee, key, APPLICATION_DATA_ACTIONS);
    }
    this.denyAuditChanges(grantee);
  }

  /** PutItem and reads on the table and its indexes, with the key use they need; no Update/Delete. */
  grantAppendOnly(grantee: IGrantable, key: TableKey): void {
    this.grantActions(grantee, key, APPEND_ONLY_ACTIONS);
  }

  /**
   * An explicit Deny, so the Audit table stays append-only even if a broader grant (a wildcard,
   * a managed policy) is added to the role later: in IAM a Deny wins over any Allow.
   */
  denyAuditChanges(grantee: IGrantable): void {
    const audit = this.tables.audit;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        effect: Effect.DENY,
        actions: [...AUDIT_DENIED_ACTIONS],
        resources: [audit.tableArn, `${audit.tableArn}/index/*`],
      }),
    );
  }

  private grantActions(grantee: IGrantable, key: TableKey, actions: readonly string[]): void {
    const table = this.tables[key];
    // Table.grant covers the table and its indexes, but not the encryption key.
    table.grant(grantee, ...actions);
    table.encryptionKey?.grantEncryptDecrypt(grantee);
  }

  private createTable(spec: TableSpec, props: AppTablesProps): Table {
    const table = new Table(this, spec.name, {
      partitionKey: { name: "pk", type: AttributeType.STRING },
      sortKey: { name: "sk", type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      stream: spec.stream ? StreamViewType.NEW_AND_OLD_IMAGES : undefined,
      timeToLiveAttribute: spec.ttlAttribute,
      deletionProtection: props.deletionProtection,
      removalPolicy: DEFAULTS.dataRemovalPolicy,
    });
    for (const index of spec.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index,
        partitionKey: { name: `${index}pk`, type: AttributeType.STRING },
        sortKey: { name: `${index}sk`, type: AttributeType.STRING },
      });
    }
    return table;
  }
}
