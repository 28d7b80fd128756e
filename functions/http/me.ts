import * as z from "zod";
import { LanguageSchema, NameSchema, NotificationPreferencesSchema } from "../core/directory-schemas";
import { effectivePreferences, ESSENTIAL_KINDS, OPTIONAL_KINDS, type NotificationPreferences } from "../core/notifications";
import { forgetPrincipal, principalOf } from "../platform/auth";
import { NotFoundError, UnauthenticatedError } from "../platform/errors";
import { httpHandler, parseJsonBody, signedIn } from "../platform/http";
import { authenticate, directory, mapStoreError } from "./deps";
import { meView } from "./views";

/**
 * `GET /api/me`, `PATCH /api/me` (the caller's own name, language and notification preferences)
 * and `GET /api/me/notifications` (each optional notice kind, on or off; essential kinds listed).
 */

const ProfileChange = z
  .strictObject({ name: NameSchema.optional(), language: LanguageSchema.optional(), notifications: NotificationPreferencesSchema.optional() })
  .refine((change) => change.name !== undefined || change.language !== undefined || change.notifications !== undefined, "Give name, language or notifications to change");

function notificationsView(preferences: NotificationPreferences | undefined) {
  return { notifications: effectivePreferences(preferences), essential: ESSENTIAL_KINDS };
}

export const handler = httpHandler(
  {
    "GET /api/me": async (_event, _context, principal) => ({ status: 200, body: meView(signedIn(principal)) }),
    "GET /api/me/notifications": async (_event, _context, principal) => {
      const me = signedIn(principal);
      const user = await directory.getUser(me.agencyId, me.userId);
      if (!user) throw new NotFoundError("Your account was not found");
      return { status: 200, body: notificationsView(user.notifications) };
    },
    "PATCH /api/me": async (event, _context, principal) => {
      const me = signedIn(principal);
      const { notifications: asked, ...change } = parseJsonBody(event, ProfileChange);
      let notifications: NotificationPreferences | undefined;
      if (asked) {
        // Only optional kinds are stored; the rest of the user's earlier choices stay as they were.
        const current = await directory.getUser(me.agencyId, me.userId);
        if (!current) throw new NotFoundError("Your account was not found");
        notifications = { ...current.notifications };
        for (const kind of OPTIONAL_KINDS) {
          const on = asked[kind];
          if (on !== undefined) notifications[kind] = on;
        }
      }
      const user = await directory.updateUser(me.agencyId, me.userId, notifications ? { ...change, notifications } : change);
      if (!user) throw new NotFoundError("Your account was not found");
      forgetPrincipal(me.userId);
      const updated = await principalOf(user, directory);
      if (!updated) throw new UnauthenticatedError("Your account is not active; ask your administrator");
      return { status: 200, body: meView(updated) };
    },
  },
  { authenticate, mapError: mapStoreError },
);
