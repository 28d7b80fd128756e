import { randomUUID } from "node:crypto";
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { isConditionFailure } from "./errors";

/**
 * Markers of mail the system sent, so that a stream record delivered twice or a digest job run
 * twice sends nothing twice. Directory table; key formats (owned here):
 * - notice marker: pk `AGENCY#<a>#SENTMAIL`  sk `NOTICE#<letterId>#<event version>#<userId>`
 * - digest marker: pk `AGENCY#<a>#SENTMAIL`  sk `DIGEST#<userId>#<YYYY-MM-DD>`
 * Markers expire after `KEEP_DAYS` (TTL `expiresAtEpoch`), long after any redelivery.
 *
 * A send is claimed first (`claim`: a conditional put in state `sending`), then confirmed (`sent`)
 * or released (the marker is deleted, so a later attempt may send). A claim left by a crashed
 * sender can be taken over once its lease has passed.
 */

const KEEP_DAYS = 35;

export type MailMarker = { kind: "notice"; letterId: string; version: number; userId: string } | { kind: "digest"; userId: string; date: string };

export type ClaimOutcome = { claimed: true; token: string } | { claimed: false; state: "sent" | "sending" };

export class SentMailStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  static key(agencyId: string, marker: MailMarker): { pk: string; sk: string } {
    const pk = `AGENCY#${agencyId}#SENTMAIL`;
    return marker.kind === "notice"
      ? { pk, sk: `NOTICE#${marker.letterId}#${String(marker.version).padStart(6, "0")}#${marker.userId}` }
      : { pk, sk: `DIGEST#${marker.userId}#${marker.date}` };
  }

  /** Claims the right to send; refused when the mail was sent, or another sender holds a fresh claim. */
  async claim(agencyId: string, marker: MailMarker, options: { now: Date; leaseMs: number }): Promise<ClaimOutcome> {
    const token = randomUUID();
    const now = options.now.getTime();
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...SentMailStore.key(agencyId, marker),
            type: "sentMail",
            state: "sending",
            token,
            claimedAt: now,
            expiresAtEpoch: Math.floor(now / 1000) + KEEP_DAYS * 86_400,
          },
          ConditionExpression: "attribute_not_exists(pk) OR (#state = :sending AND claimedAt < :staleBefore)",
          ExpressionAttributeNames: { "#state": "state" },
          ExpressionAttributeValues: { ":sending": "sending", ":staleBefore": now - options.leaseMs },
        }),
      );
      return { claimed: true, token };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = await this.doc.send(
        new GetCommand({ TableName: this.table, Key: SentMailStore.key(agencyId, marker), ConsistentRead: true }),
      );
      return { claimed: false, state: current.Item?.state === "sending" ? "sending" : "sent" };
    }
  }

  /** Records that the claimed mail went out (or was refused for good: `outcome` says which). */
  async confirm(agencyId: string, marker: MailMarker, token: string, outcome: "sent" | "rejected", now: Date): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: SentMailStore.key(agencyId, marker),
          UpdateExpression: "SET #state = :sent, outcome = :outcome, sentAt = :at REMOVE #token",
          ConditionExpression: "#token = :token",
          ExpressionAttributeNames: { "#state": "state", "#token": "token" },
          ExpressionAttributeValues: { ":sent": "sent", ":outcome": outcome, ":at": now.toISOString(), ":token": token },
        }),
      );
    } catch (error) {
      // Another sender took over a claim we held too long: its marker stands.
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Gives a claim up after a failed send, so a later attempt may send. */
  async release(agencyId: string, marker: MailMarker, token: string): Promise<void> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.table,
          Key: SentMailStore.key(agencyId, marker),
          ConditionExpression: "#token = :token",
          ExpressionAttributeNames: { "#token": "token" },
          ExpressionAttributeValues: { ":token": token },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}

/**
 * Sends one mail at most once per marker: claim, send, confirm; a failed send releases the claim
 * and rethrows. Returns what happened, for the caller's summary and logs.
 */
export async function sendOnce(
  store: SentMailStore,
  agencyId: string,
  marker: MailMarker,
  options: { now: Date; leaseMs: number; send: () => Promise<"sent" | "rejected"> },
): Promise<"sent" | "rejected" | "already-sent" | "in-progress"> {
  const claim = await store.claim(agencyId, marker, options);
  if (!claim.claimed) return claim.state === "sent" ? "already-sent" : "in-progress";
  let outcome: "sent" | "rejected";
  try {
    outcome = await options.send();
  } catch (error) {
    await store.release(agencyId, marker, claim.token);
    throw error;
  }
  await store.confirm(agencyId, marker, claim.token, outcome, new Date());
  return outcome;
}
