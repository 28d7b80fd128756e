import type { AttributeValue as SdkAttributeValue, _Record as SdkRecord } from "@aws-sdk/client-dynamodb-streams";
import type { AttributeValue, DynamoDBRecord, StreamRecord } from "aws-lambda";

/**
 * Converts records as the DynamoDB Streams SDK returns them into the JSON shape that Lambda's
 * event source mapping delivers: binary values as base64 strings, the creation time as epoch
 * seconds, and the stream ARN on every record.
 */
export function toLambdaRecord(record: SdkRecord, streamArn: string, fallbackRegion: string): DynamoDBRecord {
  const out: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? "1.1",
    eventSource: record.eventSource ?? "aws:dynamodb",
    awsRegion: record.awsRegion ?? fallbackRegion,
    dynamodb: record.dynamodb ? toLambdaStreamRecord(record.dynamodb) : undefined,
    eventSourceARN: streamArn,
  };
  if (record.userIdentity) out.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return out;
}

function toLambdaStreamRecord(source: NonNullable<SdkRecord["dynamodb"]>): StreamRecord {
  const out: StreamRecord = {};
  if (source.ApproximateCreationDateTime) {
    out.ApproximateCreationDateTime = Math.floor(source.ApproximateCreationDateTime.getTime() / 1000);
  }
  if (source.Keys) out.Keys = toLambdaImage(source.Keys);
  if (source.NewImage) out.NewImage = toLambdaImage(source.NewImage);
  if (source.OldImage) out.OldImage = toLambdaImage(source.OldImage);
  if (source.SequenceNumber !== undefined) out.SequenceNumber = source.SequenceNumber;
  if (source.SizeBytes !== undefined) out.SizeBytes = source.SizeBytes;
  if (source.StreamViewType !== undefined) out.StreamViewType = source.StreamViewType;
  return out;
}

export function toLambdaImage(image: Record<string, SdkAttributeValue>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(image)) out[name] = toLambdaValue(value);
  return out;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

export function toLambdaValue(value: SdkAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: base64(value.B) };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map(base64) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) };
  throw new Error(`Unsupported attribute value in stream record: ${Object.keys(value).join(",")}`);
}
