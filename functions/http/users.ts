import type { APIGatewayProxyEvent } from "aws-lambda";
import * as z from "zod";
import { emailInDomains, isValidSupervisor, selfLockoutField, type User } from "../core/directory";
import { EmailSchema, IdSchema, LanguageSchema, NameSchema, RoleListSchema } from "../core/directory-schemas";
import { hasAnyRole, ungrantableRoles, type Principal } from "../core/permissions";
import type { Role } from "../core/roles";
import { forgetPrincipal } from "../platform/auth";
import { ForbiddenError, NotFoundError, ValidationError } from "../platform/errors";
import { httpHandler, parseJsonBody, parseQuery, signedIn } from "../platform/http";
import { logger } from "../platform/logger";
import { authenticate, directory, mapStoreError } from "./deps";
import { pageQuery, userView } from "./views";

/**
 * `GET|POST /api/users`, `GET|PATCH /api/users/{id}`: the agency's directory. Any user may read it
 * (to choose an assignee); only the agency administrator changes it. Every id is looked up in the
 * caller's agency, so another agency's user answers 404.
 */

const UsersQuery = z
  .strictObject({ q: z.string().trim().min(1).max(100).optional(), ...pageQuery })
  .refine((query) => !(query.q && query.cursor), { message: "A search (q) returns one page; leave out cursor", path: ["cursor"] });

const NewUser = z.strictObject({
  email: EmailSchema,
  name: NameSchema,
  departmentId: IdSchema,
  roles: RoleListSchema,
  supervisorId: IdSchema.nullable().optional(),
  language: LanguageSchema.optional(),
});

const UserChange = z
  .strictObject({
    name: NameSchema.optional(),
    roles: RoleListSchema.optional(),
    departmentId: IdSchema.nullable().optional(),
    supervisorId: IdSchema.nullable().optional(),
    active: z.boolean().optional(),
    language: LanguageSchema.optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), "Give at least one field to change");

function invalidField(field: string, message: string): ValidationError {
  return new ValidationError(`Invalid body: ${field}: ${message}`, [{ path: field, message }]);
}

/** The `{id}` of the path, as a user of the caller's agency; anything else is 404. */
async function userOfAgency(event: APIGatewayProxyEvent, me: Principal): Promise<User> {
  const id = IdSchema.safeParse(event.pathParameters?.id);
  const user = id.success ? await directory.getUser(me.agencyId, id.data) : undefined;
  if (!user) throw new NotFoundError("No such user");
  return user;
}

function checkGrant(me: Principal, roles: readonly Role[] | undefined): void {
  if (!roles) return;
  const refused = ungrantableRoles(me, roles);
  if (refused.length > 0) throw new ForbiddenError(`You may not grant the role ${refused.join(", ")}`);
}

/** Department and supervisor ids of a body must name records of the caller's agency. */
async function checkReferences(me: Principal, input: { departmentId?: string | null; supervisorId?: string | null }, userId?: string) {
  if (input.departmentId) {
    if (!(await directory.getDepartment(me.agencyId, input.departmentId))) {
      throw invalidField("departmentId", "No such department in your agency");
    }
  }
  if (input.supervisorId) {
    if (userId && !isValidSupervisor(userId, input.supervisorId)) throw invalidField("supervisorId", "A user cannot supervise themself");
    const supervisor = await directory.getUser(me.agencyId, input.supervisorId);
    if (!supervisor || !supervisor.active) throw invalidField("supervisorId", "No such active user in your agency");
  }
}

export const handler = httpHandler(
  {
    "GET /api/users": async (event, _context, principal) => {
      const me = signedIn(principal);
      const query = parseQuery(event, UsersQuery);
      // Administrators see deactivated users too; everyone else chooses among active ones.
      const activeOnly = !hasAnyRole(me, ["admin"]);
      if (query.q) {
        const items = await directory.searchUsers(me.agencyId, query.q, { limit: query.limit, activeOnly });
        return { status: 200, body: { items: items.map(userView), nextCursor: null } };
      }
      const page = await directory.listUsers(me.agencyId, { limit: query.limit, cursor: query.cursor, activeOnly });
      return { status: 200, body: { items: page.items.map(userView), nextCursor: page.nextCursor } };
    },
    "GET /api/users/{id}": async (event, _context, principal) => {
      const user = await userOfAgency(event, signedIn(principal));
      return { status: 200, body: userView(user) };
    },
    "POST /api/users": async (event, _context, principal) => {
      const me = signedIn(principal);
      const input = parseJsonBody(event, NewUser);
      checkGrant(me, input.roles);
      const agency = await directory.getAgency(me.agencyId);
      if (!agency || !emailInDomains(input.email, agency.emailDomains)) {
        throw invalidField("email", "The address must be in one of your agency's email domains");
      }
      await checkReferences(me, input);
      const user = await directory.createUser(me.agencyId, input);
      logger.info("user created", { targetUserId: user.id });
      return { status: 201, body: userView(user) };
    },
    "PATCH /api/users/{id}": async (event, _context, principal) => {
      const me = signedIn(principal);
      const target = await userOfAgency(event, me);
      const change = parseJsonBody(event, UserChange);
      checkGrant(me, change.roles);
      const lockout = selfLockoutField(me.userId, target.id, change);
      if (lockout === "active") throw invalidField("active", "You cannot deactivate your own account");
      if (lockout === "roles") throw invalidField("roles", "You cannot remove your own admin role");
      await checkReferences(me, change, target.id);
      const updated = await directory.updateUser(me.agencyId, target.id, change);
      if (!updated) throw new NotFoundError("No such user");
      // The change takes effect at once in this process; other containers follow within a minute.
      forgetPrincipal(target.id);
      logger.info("user changed", { targetUserId: target.id, fields: Object.keys(change) });
      return { status: 200, body: userView(updated) };
    },
  },
  { authenticate, mapError: mapStoreError },
);
