import { randomUUID } from "node:crypto";
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from "@aws-sdk/lib-dynamodb";
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
import { OPTIONAL_KINDS, type NotificationPreferences } from "../core/notifications";
import { ROLES } from "../core/roles";
import { decodeCursor, encodeCursor, type Page } from "./cursor";
import { ClaimTakenError, failedConditions, isConditionFailure } from "./errors";

export type { Page } from "./cursor";

/**
 * Directory table access. Key formats (owned here and nowhere else):
 * - agency:            pk `AGENCY#<agencyId>`  sk `AGENCY`     gsi1 `AGENCIES` / `<code>` (operator's list)
 * - agency settings:   pk `AGENCY#<agencyId>`  sk `SETTINGS`
 * - department:        pk `AGENCY#<agencyId>`  sk `DEPT#<id>`
 * - department code:   pk `AGENCY#<agencyId>`  sk `DEPTCODE#<code>` (uniqueness claim)
 * - user:              pk `AGENCY#<agencyId>`  sk `USER#<id>`   gsi1 `AGENCY#<agencyId>#USERS` / `<lower-case name>`
 *                                                              gsi2 `AGENCY#<agencyId>#EMAILS` / `<email>`
 * - email claim:       pk `EMAIL#<email>`      sk `EMAIL`      -> agencyId, userId (login looks users up by email)
 * - domain claim:      pk `DOMAIN#<domain>`    sk `DOMAIN`     -> agencyId (a domain belongs to one agency)
 * - agency code claim: pk `AGENCYCODE#<code>`  sk `AGENCYCODE` -> agencyId
 * - sign-in challenge: pk `OTP#<email>`        sk `OTP`        (see `otp.ts`; expires through `expiresAtEpoch`)
 * - sign-in requests:  pk `OTPREQ#<email>`     sk `<window>`   (see `otp.ts`; expires through `expiresAtEpoch`)
 * Claims are global because they are looked up before the caller's agency is known (login).
 * Every read of an agency's records is keyed by the caller's agency id, so another agency's id
 * simply finds nothing.
 */

export interface UserChange {
  name?: string;
  roles?: Role[];
  departmentId?: string | null;
  supervisorId?: string | null;
  active?: boolean;
  language?: Language;
  /** Replaces the user's notification preferences as a whole. */
  notifications?: NotificationPreferences;
}

export interface NewUser {
  email: string;
  name: string;
  departmentId: string | null;
  roles: Role[];
  supervisorId?: string | null;
  language?: Language;
  id?: string;
  now?: Date;
}

export interface NewAgency {
  code: string;
  name: string;
  emailDomains: string[];
  timezone?: string;
  cell?: string;
  id?: string;
  now?: Date;
}

export interface NewAgencyAdmin {
  email: string;
  name: string;
  language?: Language;
  id?: string;
}

const MAX_PAGE = 100;

export class DirectoryStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  static agencyPk(agencyId: string): string {
    return `AGENCY#${agencyId}`;
  }

  /** Creates an agency without users (see `onboardAgency`). */
  async createAgency(input: NewAgency): Promise<Agency> {
    return (await this.onboardAgency(input)).agency;
  }

  /**
   * Creates an agency with its settings, its code and domain claims and, when given, its first
   * administrator, all in one transaction: either the agency is complete or nothing was written.
   * A taken code, domain or admin email is a `ClaimTakenError`.
   */
  async onboardAgency(input: NewAgency & { admin?: NewAgencyAdmin }): Promise<{ agency: Agency; admin?: User }> {
    const now = input.now ?? new Date();
    const agency: Agency = {
      id: input.id ?? randomUUID(),
      code: input.code,
      name: input.name,
      emailDomains: input.emailDomains.map(normaliseEmail),
      timezone: input.timezone ?? DEFAULT_SETTINGS.timezone,
      cell: input.cell ?? "shared",
      createdAt: now.toISOString(),
    };
    const pk = DirectoryStore.agencyPk(agency.id);
    const settings: AgencySettings = { ...DEFAULT_SETTINGS, timezone: agency.timezone };
    const claims: { claim: ClaimTakenError["claim"]; value: string }[] = [
      { claim: "record", value: agency.id },
      { claim: "record", value: "settings" },
      { claim: "agencyCode", value: agency.code },
    ];
    const items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]> = [
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
    ];
    for (const domain of agency.emailDomains) {
      claims.push({ claim: "domain", value: domain });
      items.push({
        Put: {
          TableName: this.table,
          Item: { pk: `DOMAIN#${domain}`, sk: "DOMAIN", agencyId: agency.id },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      });
    }
    let admin: User | undefined;
    if (input.admin) {
      admin = newUser(agency.id, {
        email: input.admin.email,
        name: input.admin.name,
        departmentId: null,
        roles: ["admin"],
        language: input.admin.language,
        id: input.admin.id,
        now,
      });
      claims.push({ claim: "record", value: admin.id }, { claim: "email", value: admin.email });
      items.push(...this.userPuts(admin));
    }
    await this.transact(items, claims);
    return admin ? { agency, admin } : { agency };
  }

  async getAgency(agencyId: string): Promise<Agency | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: DirectoryStore.agencyPk(agencyId), sk: "AGENCY" } }),
    );
    return out.Item ? toAgency(out.Item) : undefined;
  }

  /** Every agency, by code (maintenance and scheduling; not for request paths with many agencies). */
  async listAgencies(): Promise<Agency[]> {
    const items: Agency[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.listAgenciesPage({ limit: MAX_PAGE, cursor });
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return items;
  }

  /** The operator's list of agencies, by code. */
  async listAgenciesPage(options: { limit: number; cursor?: string }): Promise<Page<Agency>> {
    return this.queryPage(
      {
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": "AGENCIES" },
      },
      options,
      { gsi: "gsi1", partition: "AGENCIES" },
      toAgency,
    );
  }

  /** Key of the agency's settings item (the dashboard reads it in one batch with the counters). */
  static settingsKey(agencyId: string): { pk: string; sk: string } {
    return { pk: DirectoryStore.agencyPk(agencyId), sk: "SETTINGS" };
  }

  /** The settings an item holds, defaults for what it lacks (no item: all defaults). */
  static toSettings(item: Record<string, unknown> | undefined): AgencySettings {
    const i = item ?? {};
    return {
      defaultDueDays: Number(i.defaultDueDays ?? DEFAULT_SETTINGS.defaultDueDays),
      reminderIntervalHours: Number(i.reminderIntervalHours ?? DEFAULT_SETTINGS.reminderIntervalHours),
      escalateAfterDays: Number(i.escalateAfterDays ?? DEFAULT_SETTINGS.escalateAfterDays),
      digestTime: String(i.digestTime ?? DEFAULT_SETTINGS.digestTime),
      timezone: String(i.timezone ?? DEFAULT_SETTINGS.timezone),
    };
  }

  async getSettings(agencyId: string): Promise<AgencySettings> {
    const out = await this.doc.send(new GetCommand({ TableName: this.table, Key: DirectoryStore.settingsKey(agencyId) }));
    return DirectoryStore.toSettings(out.Item);
  }

  /** Replaces the agency's settings; the agency record's timezone follows, in the same transaction. */
  async putSettings(agencyId: string, settings: AgencySettings, now: Date = new Date()): Promise<AgencySettings> {
    const pk = DirectoryStore.agencyPk(agencyId);
    await this.transact(
      [
        {
          Put: {
            TableName: this.table,
            Item: { pk, sk: "SETTINGS", type: "settings", ...settings, updatedAt: now.toISOString() },
          },
        },
        {
          Update: {
            TableName: this.table,
            Key: { pk, sk: "AGENCY" },
            UpdateExpression: "SET #tz = :tz",
            ConditionExpression: "attribute_exists(pk)",
            ExpressionAttributeNames: { "#tz": "timezone" },
            ExpressionAttributeValues: { ":tz": settings.timezone },
          },
        },
      ],
      [
        { claim: "record", value: "settings" },
        { claim: "record", value: agencyId },
      ],
    );
    return settings;
  }

  /** A new department; a code already used in the agency is a `ClaimTakenError`. */
  async createDepartment(agencyId: string, input: { code: string; name: string; id?: string; now?: Date }): Promise<Department> {
    const department: Department = {
      id: input.id ?? randomUUID(),
      agencyId,
      code: input.code,
      name: input.name,
      createdAt: (input.now ?? new Date()).toISOString(),
    };
    const pk = DirectoryStore.agencyPk(agencyId);
    await this.transact(
      [
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
      [
        { claim: "record", value: department.id },
        { claim: "departmentCode", value: department.code },
      ],
    );
    return department;
  }

  async getDepartment(agencyId: string, departmentId: string): Promise<Department | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: DirectoryStore.agencyPk(agencyId), sk: `DEPT#${departmentId}` } }),
    );
    return out.Item ? toDepartment(out.Item) : undefined;
  }

  async listDepartments(agencyId: string, options: { limit: number; cursor?: string }): Promise<Page<Department>> {
    const pk = DirectoryStore.agencyPk(agencyId);
    return this.queryPage(
      {
        KeyConditionExpression: "pk = :pk AND begins_with(sk, :dept)",
        ExpressionAttributeValues: { ":pk": pk, ":dept": "DEPT#" },
      },
      options,
      { partition: pk, skPrefix: "DEPT#" },
      toDepartment,
    );
  }

  /** A new user of the agency; an email that any agency already uses is a `ClaimTakenError`. */
  async createUser(agencyId: string, input: NewUser): Promise<User> {
    const user = newUser(agencyId, input);
    await this.transact(this.userPuts(user), [
      { claim: "record", value: user.id },
      { claim: "email", value: user.email },
    ]);
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

  /** Applies a change to a user of the agency; undefined when the agency has no such user. */
  async updateUser(agencyId: string, userId: string, change: UserChange, now: Date = new Date()): Promise<User | undefined> {
    const names: Record<string, string> = { "#updatedAt": "updatedAt" };
    const values: Record<string, unknown> = { ":updatedAt": now.toISOString() };
    const sets = ["#updatedAt = :updatedAt"];
    const fields: (keyof UserChange)[] = ["name", "roles", "departmentId", "supervisorId", "active", "language", "notifications"];
    for (const field of fields) {
      if (change[field] === undefined) continue;
      names[`#${field}`] = field;
      values[`:${field}`] = change[field];
      sets.push(`#${field} = :${field}`);
    }
    if (change.name !== undefined) {
      names["#gsi1sk"] = "gsi1sk";
      values[":gsi1sk"] = change.name.toLowerCase();
      sets.push("#gsi1sk = :gsi1sk");
    }
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: DirectoryStore.agencyPk(agencyId), sk: `USER#${userId}` },
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "attribute_exists(pk)",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: "ALL_NEW",
        }),
      );
      return out.Attributes ? toUser(out.Attributes) : undefined;
    } catch (error) {
      if (isConditionFailure(error)) return undefined;
      throw error;
    }
  }

  /** The agency's users by name. */
  async listUsers(agencyId: string, options: { limit: number; cursor?: string; activeOnly?: boolean }): Promise<Page<User>> {
    const partition = `${DirectoryStore.agencyPk(agencyId)}#USERS`;
    return this.queryPage(
      {
        IndexName: "gsi1",
        KeyConditionExpression: "gsi1pk = :pk",
        ExpressionAttributeValues: { ":pk": partition, ...(options.activeOnly ? { ":false": false } : {}) },
        ...(options.activeOnly ? { FilterExpression: "#active <> :false", ExpressionAttributeNames: { "#active": "active" } } : {}),
      },
      options,
      { gsi: "gsi1", partition },
      toUser,
    );
  }

  /**
   * The agency's users whose name or email starts with `prefix` (case-insensitive), by name: the
   * directory for choosing an assignee. One page of at most `limit`; refine the prefix for more.
   */
  async searchUsers(agencyId: string, prefix: string, options: { limit: number; activeOnly?: boolean }): Promise<User[]> {
    const needle = prefix.trim().toLowerCase();
    const pk = DirectoryStore.agencyPk(agencyId);
    const filter = options.activeOnly ? { FilterExpression: "#active <> :false", ExpressionAttributeNames: { "#active": "active" } } : {};
    const query = async (index: "gsi1" | "gsi2", partition: string) => {
      const found: User[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: index,
            KeyConditionExpression: `${index}pk = :pk AND begins_with(${index}sk, :prefix)`,
            ExpressionAttributeValues: { ":pk": partition, ":prefix": needle, ...(options.activeOnly ? { ":false": false } : {}) },
            ...filter,
            Limit: options.limit,
            ExclusiveStartKey: startKey,
          }),
        );
        for (const item of out.Items ?? []) found.push(toUser(item));
        startKey = out.LastEvaluatedKey;
      } while (startKey && found.length < options.limit);
      return found;
    };
    const [byName, byEmail] = await Promise.all([query("gsi1", `${pk}#USERS`), query("gsi2", `${pk}#EMAILS`)]);
    const merged = new Map<string, User>();
    for (const user of [...byName, ...byEmail]) merged.set(user.id, user);
    return [...merged.values()]
      .sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.id.localeCompare(b.id))
      .slice(0, options.limit);
  }

  /** The agency that owns an email domain, if any. */
  async agencyIdForDomain(domain: string): Promise<string | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.table, Key: { pk: `DOMAIN#${normaliseEmail(domain)}`, sk: "DOMAIN" } }),
    );
    return out.Item ? String(out.Item.agencyId) : undefined;
  }

  private userPuts(user: User) {
    const pk = DirectoryStore.agencyPk(user.agencyId);
    return [
      {
        Put: {
          TableName: this.table,
          Item: {
            pk,
            sk: `USER#${user.id}`,
            type: "user",
            gsi1pk: `${pk}#USERS`,
            gsi1sk: user.name.toLowerCase(),
            gsi2pk: `${pk}#EMAILS`,
            gsi2sk: user.email,
            ...user,
          },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
      {
        Put: {
          TableName: this.table,
          Item: { pk: `EMAIL#${user.email}`, sk: "EMAIL", agencyId: user.agencyId, userId: user.id },
          ConditionExpression: "attribute_not_exists(pk)",
        },
      },
    ];
  }

  /** Runs a transaction; a failed condition becomes a `ClaimTakenError` naming the claim (index-aligned with `claims`). */
  private async transact(
    items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]["TransactItems"]>,
    claims: { claim: ClaimTakenError["claim"]; value: string }[],
  ): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      const failed = failedConditions(error);
      if (!failed) throw error;
      // Prefer a named claim over a record collision, which only a repeated id could cause.
      const named = failed.map((i) => claims[i]).find((c) => c !== undefined && c.claim !== "record") ?? claims[failed[0] ?? 0];
      throw new ClaimTakenError(named?.claim ?? "record", named?.value ?? "", { cause: error });
    }
  }

  private async queryPage<T>(
    input: Omit<QueryCommandInput, "TableName" | "Limit" | "ExclusiveStartKey">,
    options: { limit: number; cursor?: string },
    scope: { gsi?: "gsi1" | "gsi2"; partition: string; skPrefix?: string },
    map: (item: Record<string, unknown>) => T,
  ): Promise<Page<T>> {
    const attributes = scope.gsi ? ["pk", "sk", `${scope.gsi}pk`, `${scope.gsi}sk`] : ["pk", "sk"];
    const expected: Record<string, string> = scope.gsi ? { [`${scope.gsi}pk`]: scope.partition } : { pk: scope.partition };
    // The `begins_with` of the query's sort-key condition, if any: DynamoDB refuses a start key outside it.
    const prefixes: Record<string, string> = scope.skPrefix ? { [scope.gsi ? `${scope.gsi}sk` : "sk"]: scope.skPrefix } : {};
    const startKey = decodeCursor(options.cursor, attributes, expected, prefixes);
    const limit = Math.min(Math.max(1, options.limit), MAX_PAGE);
    const items: T[] = [];
    let exclusiveStartKey: Record<string, unknown> | undefined = startKey;
    let lastKey: Record<string, unknown> | undefined;
    // A filter can leave a page short; keep reading until it is full or the list ends.
    do {
      const out = await this.doc.send(
        new QueryCommand({ ...input, TableName: this.table, Limit: limit - items.length, ExclusiveStartKey: exclusiveStartKey }),
      );
      for (const item of out.Items ?? []) items.push(map(item));
      lastKey = out.LastEvaluatedKey;
      exclusiveStartKey = lastKey;
    } while (lastKey && items.length < limit);
    return { items, nextCursor: encodeCursor(lastKey) };
  }
}

function newUser(agencyId: string, input: NewUser): User {
  const now = (input.now ?? new Date()).toISOString();
  return {
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

function toDepartment(item: Record<string, unknown>): Department {
  return {
    id: String(item.id),
    agencyId: String(item.agencyId),
    code: String(item.code),
    name: String(item.name),
    createdAt: String(item.createdAt),
  };
}

function toUser(item: Record<string, unknown>): User {
  const user: User = {
    id: String(item.id),
    agencyId: String(item.agencyId),
    email: String(item.email),
    name: String(item.name),
    departmentId: item.departmentId == null ? null : String(item.departmentId),
    roles: Array.isArray(item.roles) ? item.roles.filter(isRole) : [],
    supervisorId: item.supervisorId == null ? null : String(item.supervisorId),
    language: item.language === "en" ? "en" : "sw",
    active: item.active !== false,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
  const notifications = toPreferences(item.notifications);
  if (notifications) user.notifications = notifications;
  return user;
}

/** Only the known optional kinds with boolean values; anything else in the item is ignored. */
function toPreferences(value: unknown): NotificationPreferences | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const stored = value as Record<string, unknown>;
  const preferences: NotificationPreferences = {};
  for (const kind of OPTIONAL_KINDS) if (typeof stored[kind] === "boolean") preferences[kind] = stored[kind];
  return preferences;
}

function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
