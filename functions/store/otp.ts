import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { normaliseEmail } from "../core/directory";
import { requestWindow, type OtpChallenge } from "../core/otp";
import { isConditionFailure } from "./errors";

/**
 * Sign-in challenges and request counters, kept in the Directory table (keys listed in
 * `directory.ts`):
 * - challenge: pk `OTP#<email>`    sk `OTP`        -> the hashed code (or remote session), expiry, tries
 * - requests:  pk `OTPREQ#<email>` sk `<window>`   -> codes requested in one counting window
 * Both carry `expiresAtEpoch`, so DynamoDB removes them after they stop mattering; the rules never
 * rely on that removal (expiry is checked against the clock).
 */
export class OtpStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  private static challengeKey(email: string) {
    return { pk: `OTP#${normaliseEmail(email)}`, sk: "OTP" };
  }

  /** Stores a new challenge for the address, replacing any earlier one (and its tries). */
  async saveChallenge(email: string, challenge: OtpChallenge): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: {
          ...OtpStore.challengeKey(email),
          type: "otp",
          ...challenge,
          expiresAtEpoch: Math.ceil(Date.parse(challenge.expiresAt) / 1000) + 3600,
        },
      }),
    );
  }

  async getChallenge(email: string): Promise<OtpChallenge | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: OtpStore.challengeKey(email) }));
    return out.Item ? toChallenge(out.Item) : undefined;
  }

  /**
   * Counts one try on the address's challenge and returns the challenge as counted, before the
   * code is compared: parallel guesses each take their own count, so no more than the allowed
   * number can ever be compared.
   */
  async countTry(email: string): Promise<OtpChallenge | undefined> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: OtpStore.challengeKey(email),
          UpdateExpression: "ADD attempts :one",
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeValues: { ":one": 1 },
          ReturnValues: "ALL_NEW",
        }),
      );
      return out.Attributes ? toChallenge(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** Removes the challenge once it has been used; false when another request used it first. */
  async consume(email: string, challenge: OtpChallenge): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: OtpStore.challengeKey(email),
          ConditionExpression: "issuedAt = :issuedAt",
          ExpressionAttributeValues: { ":issuedAt": challenge.issuedAt },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Counts one code request for the address in the current window and returns the window's count. */
  async countRequest(email: string, now: Date): Promise<number> {
    const window = requestWindow(now);
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { pk: `OTPREQ#${normaliseEmail(email)}`, sk: String(window.index) },
        UpdateExpression: "ADD requests :one SET expiresAtEpoch = :expires",
        ExpressionAttributeValues: { ":one": 1, ":expires": Math.ceil(window.endsAt.getTime() / 1000) + 3600 },
        ReturnValues: "UPDATED_NEW",
      }),
    );
    return Number(out.Attributes?.requests ?? 1);
  }
}

function toChallenge(item: Record<string, unknown>): OtpChallenge {
  const challenge: OtpChallenge = {
    issuedAt: String(item.issuedAt),
    expiresAt: String(item.expiresAt),
    attempts: Number(item.attempts ?? 0),
  };
  if (typeof item.codeHash === "string") challenge.codeHash = item.codeHash;
  if (typeof item.salt === "string") challenge.salt = item.salt;
  if (typeof item.session === "string") challenge.session = item.session;
  return challenge;
}
