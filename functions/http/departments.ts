import * as z from "zod";
import { DepartmentCodeSchema, NameSchema } from "../core/directory-schemas";
import { httpHandler, parseJsonBody, parseQuery, signedIn } from "../platform/http";
import { authenticate, directory, mapStoreError } from "./deps";
import { ListQuery, departmentView } from "./views";

/** `GET|POST /api/departments`: the caller's agency's departments. */

const NewDepartment = z.strictObject({ code: DepartmentCodeSchema, name: NameSchema });

export const handler = httpHandler(
  {
    "GET /api/departments": async (event, _context, principal) => {
      const me = signedIn(principal);
      const page = await directory.listDepartments(me.agencyId, parseQuery(event, ListQuery));
      return { status: 200, body: { items: page.items.map(departmentView), nextCursor: page.nextCursor } };
    },
    "POST /api/departments": async (event, _context, principal) => {
      const me = signedIn(principal);
      const input = parseJsonBody(event, NewDepartment);
      const department = await directory.createDepartment(me.agencyId, input);
      return { status: 201, body: departmentView(department) };
    },
  },
  { authenticate, mapError: mapStoreError },
);
