import { randomUUID } from "node:crypto";
import { GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import {
  DEFAULT_SETTINGS,
  normaliseEmail,
  type Agency,
  type AgencySettings,
  type Department,
  type Language,
  type Role,
  type User,
} from "../core/directory";

/**
 * Directory table access. Key formats (owned here and nowhere else):
 * - agency:            pk `AGENCY#<agencyId>`  sk `AGENCY`     gsi1 `AGENCIES` / `<code>` (operator's list)
 * - agency settings:   pk `AGENCY#<agencyId>`  sk `SETTINGS`
 * - department:        pk `AGENCY#<agencyId>`  sk `DEPT#<id>`
 * - department code:   pk `AGENCY#<agencyId>`  sk `DEPTCODE#<code>` (uniqueness claim)
 * - user:              pk `AGENCY#<agencyId>`  sk `USER#<id>`   gsi1 `AGENCY#<agencyId>#USERS` / `<name>`
 * - email claim:       pk `EMAIL#<email>`      sk `EMAIL`      -> agencyId, userId (login looks users up by email)
 * - domain claim:      pk `DOMAIN#<domain>`    sk `DOMAIN`     -> agencyId (a domain belongs to one agency)
 * - agency code claim: pk `AGENCYCODE#<code>`  sk `AGENCYCODE` -> agencyId
 * Claims are global because they are looked up before the caller's agency is known (login).
 */
export class DirectoryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  static agencyPk(agencyId: string): string {
    return `AGENCY#${agencyId}`;
  }

  async createAgency(input: {
    code: string;
    name: string;
    emailDomains: string[];
    timezone?: string;
    cell?: string;
    id?: string;
    now?: Date;
  }): Promise<Agency> {
    const now = (input.now ?? new Date()).toISOString();
    const agency: Agency = {
      id: input.id ?? randomUUID(),
      code: input.code,
      name: input.name,
      emailDomains: input.emailDomains.map(normaliseEmail),
      timezone: input.timezone ?? DEFAULT_SETTINGS.timezone,
      cell: input.cell ?? "shared",
      createdAt: now,
    };
    const pk = DirectoryStore.agencyPk(agency.id);
    const settings: AgencySettings = { ...DEFAULT_SETTINGS, timezone: agency.timezone };
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { pk, sk: "AGENCY", type: "agency", gsi1pk: "AGENCIES", gsi1sk: agency.code, ...agency },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          { Put: { TableName: this.table, Item: { pk, sk: "SETTINGS", type: "settings", ...settings } } },
          {
            Put: {
              TableName: this.table,
              Item: { pk: `AGENCYCODE#${agency.code}`, sk: "AGENCYCODE", agencyId: agency.id },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          ...agency.emailDomains.map((domain) => ({
            Put: {
              TableName: this.table,
              Item: { pk: `DOMAIN#${domain}`, sk: "DOMAIN", agencyId: agency.id },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          })),
        ],
      }),
    );
    return agency;
  }

  async getAgency(agencyId: string): Promise<Agency | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: DirectoryStore.agencyPk(agencyId), sk: "AGENCY" } }),
    );
    return out.Item ? toAgency(out.Item) : undefined;
  }

  async listAgencies(): Promise<Agency[]> {
    const items: Agency[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: "gsi1",
          KeyConditionExpression: "gsi1pk = :pk",
          ExpressionAttributeValues: { ":pk": "AGENCIES" },
          ExclusiveStartKey: startKey,
        }),
      );
      for (const item of out.Items ?? []) items.push(toAgency(item));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async getSettings(agencyId: string): Promise<AgencySettings> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: DirectoryStore.agencyPk(agencyId), sk: "SETTINGS" } }),
    );
    const item = out.Item ?? {};
    return {
      defaultDueDays: Number(item.defaultDueDays ?? DEFAULT_SETTINGS.defaultDueDays),
      reminderIntervalHours: Number(item.reminderIntervalHours ?? DEFAULT_SETTINGS.reminderIntervalHours),
      escalateAfterDays: Number(item.escalateAfterDays ?? DEFAULT_SETTINGS.escalateAfterDays),
      digestTime: String(item.digestTime ?? DEFAULT_SETTINGS.digestTime),
      timezone: String(item.timezone ?? DEFAULT_SETTINGS.timezone),
    };
  }

  async createDepartment(agencyId: string, input: { code: string; name: string; id?: string; now?: Date }): Promise<Department> {
    const department: Department = {
      id: input.id ?? randomUUID(),
      agencyId,
      code: input.code,
      name: input.name,
      createdAt: (input.now ?? new Date()).toISOString(),
    };
    const pk = DirectoryStore.agencyPk(agencyId);
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: { pk, sk: `DEPT#${department.id}`, type: "department", ...department },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { pk, sk: `DEPTCODE#${department.code}`, departmentId: department.id },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
    return department;
  }

  async createUser(
    agencyId: string,
    input: {
      email: string;
      name: string;
      departmentId: string | null;
      roles: Role[];
      supervisorId?: string | null;
      language?: Language;
      id?: string;
      now?: Date;
    },
  ): Promise<User> {
    const now = (input.now ?? new Date()).toISOString();
    const user: User = {
      id: input.id ?? randomUUID(),
      agencyId,
      email: normaliseEmail(input.email),
      name: input.name,
      departmentId: input.departmentId,
      roles: [...input.roles],
      supervisorId: input.supervisorId ?? null,
      language: input.language ?? "sw",
      active: true,
      createdAt: now,
      updatedAt: now,
    };
    const pk = DirectoryStore.agencyPk(agencyId);
    await this.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.table,
              Item: {
                pk,
                sk: `USER#${user.id}`,
                type: "user",
                gsi1pk: `${pk}#USERS`,
                gsi1sk: user.name.toLowerCase(),
                ...user,
              },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
          {
            Put: {
              TableName: this.table,
              Item: { pk: `EMAIL#${user.email}`, sk: "EMAIL", agencyId, userId: user.id },
              ConditionExpression: "attribute_not_exists(pk)",
            },
          },
        ],
      }),
    );
    return user;
  }

  async getUser(agencyId: string, userId: string): Promise<User | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: DirectoryStore.agencyPk(agencyId), sk: `USER#${userId}` } }),
    );
    return out.Item ? toUser(out.Item) : undefined;
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const claim = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `EMAIL#${normaliseEmail(email)}`, sk: "EMAIL" } }),
    );
    if (!claim.Item) return undefined;
    return this.getUser(String(claim.Item.agencyId), String(claim.Item.userId));
  }

  /** The agency that owns an email domain, if any. */
  async agencyIdForDomain(domain: string): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `DOMAIN#${normaliseEmail(domain)}`, sk: "DOMAIN" } }),
    );
    return out.Item ? String(out.Item.agencyId) : undefined;
  }
}

function toAgency(item: Record<string, unknown>): Agency {
  return {
    id: String(item.id),
    code: String(item.code),
    name: String(item.name),
    emailDomains: Array.isArray(item.emailDomains) ? item.emailDomains.map(String) : [],
    timezone: String(item.timezone),
    cell: String(item.cell ?? "shared"),
    createdAt: String(item.createdAt),
  };
}

function toUser(item: Record<string, unknown>): User {
  return {
    id: String(item.id),
    agencyId: String(item.agencyId),
    email: String(item.email),
    name: String(item.name),
    departmentId: item.departmentId == null ? null : String(item.departmentId),
    roles: Array.isArray(item.roles) ? (item.roles.map(String) as Role[]) : [],
    supervisorId: item.supervisorId == null ? null : String(item.supervisorId),
    language: item.language === "en" ? "en" : "sw",
    active: item.active !== false,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}
