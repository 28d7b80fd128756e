import { beforeAll, describe, expect, it } from "vitest";
import { Match, type Template } from "aws-cdk-lib/assertions";
import { TABLES, TABLE_KEYS } from "../../functions/store/tables";
import { logicalIdOf, resourcesOfType, synthesize, type SynthesizedApp, SYNTH_TIMEOUT_MS } from "./support/synth";

let synth: SynthesizedApp;
let data: Template;

beforeAll(() => {
  synth = synthesize();
  data = synth.template(synth.cells[0]!.data);
}, SYNTH_TIMEOUT_MS);

function tableResource(key: (typeof TABLE_KEYS)[number]) {
  const id = logicalIdOf(synth.cells[0]!.data.tables.tables[key]);
  const resource = resourcesOfType(data, "AWS::DynamoDB::Table")[id];
  if (!resource) throw new Error(`no table resource ${id}`);
  return resource;
}

describe("data stack: tables", () => {
  it("creates one table per table spec, each with pk/sk string keys and on-demand billing", () => {
    expect(Object.keys(resourcesOfType(data, "AWS::DynamoDB::Table"))).toHaveLength(TABLE_KEYS.length);
    data.allResourcesProperties("AWS::DynamoDB::Table", {
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    });
  });

  it("keeps every table recoverable to a point in time and encrypted with the customer-managed key", () => {
    const keyId = logicalIdOf(synth.cells[0]!.data.key);
    data.allResourcesProperties("AWS::DynamoDB::Table", {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      SSESpecification: { SSEEnabled: true, SSEType: "KMS", KMSMasterKeyId: { "Fn::GetAtt": [keyId, "Arn"] } },
    });
    data.hasResourceProperties("AWS::KMS::Key", { EnableKeyRotation: true });
  });

  it("retains every table and the key when the stack is deleted", () => {
    data.allResources("AWS::DynamoDB::Table", { DeletionPolicy: "Retain", UpdateReplacePolicy: "Retain" });
    data.allResources("AWS::KMS::Key", { DeletionPolicy: "Retain" });
  });

  it("streams new and old images from Files and Letters, and only from tables that ask for it", () => {
    for (const key of TABLE_KEYS) {
      const stream = tableResource(key).Properties?.StreamSpecification;
      if (TABLES[key].stream) expect(stream, key).toEqual({ StreamViewType: "NEW_AND_OLD_IMAGES" });
      else expect(stream, key).toBeUndefined();
    }
    expect(TABLES.files.stream && TABLES.letters.stream).toBe(true);
  });

  it("gives each table its generic gsiN indexes on gsiNpk/gsiNsk and its TTL attribute", () => {
    for (const key of TABLE_KEYS) {
      const props = tableResource(key).Properties ?? {};
      const indexes = (props.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[] | undefined) ?? [];
      expect(indexes.map((index) => index.IndexName), key).toEqual([...TABLES[key].indexes]);
      for (const index of indexes) {
        expect(index.KeySchema).toEqual([
          { AttributeName: `${index.IndexName}pk`, KeyType: "HASH" },
          { AttributeName: `${index.IndexName}sk`, KeyType: "RANGE" },
        ]);
      }
      const ttl = TABLES[key].ttlAttribute;
      expect(props.TimeToLiveSpecification, key).toEqual(ttl ? { AttributeName: ttl, Enabled: true } : undefined);
    }
  });
});

describe("data stack: attachments bucket", () => {
  it("blocks all public access, keeps versions and encrypts with the customer-managed key", () => {
    data.hasResourceProperties("AWS::S3::Bucket", {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: "Enabled" },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: Match.anyValue() },
            BucketKeyEnabled: true,
          },
        ],
      },
    });
  });

  it("denies every request that does not use TLS", () => {
    data.hasResourceProperties("AWS::S3::BucketPolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: "Deny",
            Action: "s3:*",
            Principal: { AWS: "*" },
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          }),
        ]),
      },
    });
  });

  it("lets the web app's origin PUT and GET through presigned URLs, and no other origin", () => {
    const origin = new URL(synth.cells[0]!.cell.appUrl).origin;
    data.hasResourceProperties("AWS::S3::Bucket", {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedOrigins: [origin], AllowedMethods: Match.arrayWith(["PUT", "GET"]) })],
      },
    });
  });
});
