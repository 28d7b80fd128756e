import * as z from "zod";
import type { Agency, Department, User } from "../core/directory";
import type { Principal } from "../core/permissions";

/** Response shapes of the directory routes (DESIGN.md section 6), one function per shape. */

export function meView(principal: Principal) {
  return {
    id: principal.userId,
    email: principal.email,
    name: principal.name,
    agencyId: principal.agencyId,
    agencyCode: principal.agencyCode,
    departmentId: principal.departmentId,
    roles: principal.roles,
    supervisorId: principal.supervisorId,
    language: principal.language,
  };
}

export function userView(user: User) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    departmentId: user.departmentId,
    roles: user.roles,
    supervisorId: user.supervisorId,
    language: user.language,
    active: user.active,
  };
}

export function departmentView(department: Department) {
  return { id: department.id, code: department.code, name: department.name };
}

export function agencyView(agency: Agency) {
  return {
    id: agency.id,
    code: agency.code,
    name: agency.name,
    emailDomains: agency.emailDomains,
    timezone: agency.timezone,
    cell: agency.cell,
    createdAt: agency.createdAt,
  };
}

/** `limit` (1..100, default 50) and `cursor` of every list. */
export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(2048).optional(),
};

export const ListQuery = z.strictObject(pageQuery);
