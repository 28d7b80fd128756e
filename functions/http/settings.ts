import { SettingsSchema } from "../core/directory-schemas";
import { httpHandler, parseJsonBody, signedIn } from "../platform/http";
import { authenticate, directory, mapStoreError } from "./deps";

/** `GET|PUT /api/settings`: the agency's workflow settings (agency administrator). */

export const handler = httpHandler(
  {
    "GET /api/settings": async (_event, _context, principal) => ({
      status: 200,
      body: await directory.getSettings(signedIn(principal).agencyId),
    }),
    "PUT /api/settings": async (event, _context, principal) => {
      const me = signedIn(principal);
      const settings = parseJsonBody(event, SettingsSchema);
      return { status: 200, body: await directory.putSettings(me.agencyId, settings) };
    },
  },
  { authenticate, mapError: mapStoreError },
);
