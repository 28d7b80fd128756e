import * as z from "zod";
import { LanguageSchema, NameSchema } from "../core/directory-schemas";
import { forgetPrincipal, principalOf } from "../platform/auth";
import { NotFoundError, UnauthenticatedError } from "../platform/errors";
import { httpHandler, parseJsonBody, signedIn } from "../platform/http";
import { authenticate, directory, mapStoreError } from "./deps";
import { meView } from "./views";

/** `GET /api/me` and `PATCH /api/me` (the caller's own name and language). */

const ProfileChange = z
  .strictObject({ name: NameSchema.optional(), language: LanguageSchema.optional() })
  .refine((change) => change.name !== undefined || change.language !== undefined, "Give name or language to change");

export const handler = httpHandler(
  {
    "GET /api/me": async (_event, _context, principal) => ({ status: 200, body: meView(signedIn(principal)) }),
    "PATCH /api/me": async (event, _context, principal) => {
      const me = signedIn(principal);
      const change = parseJsonBody(event, ProfileChange);
      const user = await directory.updateUser(me.agencyId, me.userId, change);
      if (!user) throw new NotFoundError("Your account was not found");
      forgetPrincipal(me.userId);
      const updated = await principalOf(user, directory);
      if (!updated) throw new UnauthenticatedError("Your account is not active; ask your administrator");
      return { status: 200, body: meView(updated) };
    },
  },
  { authenticate, mapError: mapStoreError },
);
