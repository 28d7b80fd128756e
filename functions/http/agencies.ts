import * as z from "zod";
import { emailInDomains } from "../core/directory";
import { AgencyCodeSchema, DomainSchema, EmailSchema, LanguageSchema, NameSchema, TimezoneSchema } from "../core/directory-schemas";
import { httpHandler, parseJsonBody, parseQuery } from "../platform/http";
import { logger } from "../platform/logger";
import { authenticate, directory, mapStoreError } from "./deps";
import { ListQuery, agencyView, userView } from "./views";

/** `GET|POST /api/agencies`: the platform operator onboards agencies (DESIGN.md sections 1 and 6). */

const NewAgency = z
  .strictObject({
    code: AgencyCodeSchema,
    name: NameSchema,
    emailDomains: z
      .array(DomainSchema)
      .min(1, "An agency needs at least one email domain")
      .max(20)
      .refine((domains) => new Set(domains).size === domains.length, "A domain is listed twice"),
    timezone: TimezoneSchema.optional(),
    /** The deployment cell serving the agency (DESIGN.md section 7); the shared cell by default. */
    cell: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, "Use lower-case letters, digits and dashes").optional(),
    admin: z.strictObject({ email: EmailSchema, name: NameSchema, language: LanguageSchema.optional() }),
  })
  .superRefine((agency, ctx) => {
    if (!emailInDomains(agency.admin.email, agency.emailDomains)) {
      ctx.addIssue({ code: "custom", path: ["admin", "email"], message: "The administrator's address must be in one of the agency's domains" });
    }
  });

export const handler = httpHandler(
  {
    "GET /api/agencies": async (event) => {
      const query = parseQuery(event, ListQuery);
      const page = await directory.listAgenciesPage(query);
      return { status: 200, body: { items: page.items.map(agencyView), nextCursor: page.nextCursor } };
    },
    "POST /api/agencies": async (event) => {
      const input = parseJsonBody(event, NewAgency);
      const { agency, admin } = await directory.onboardAgency(input);
      logger.info("agency onboarded", { agencyId: agency.id, cell: agency.cell });
      return { status: 201, body: { ...agencyView(agency), admin: admin ? userView(admin) : null } };
    },
  },
  { authenticate, mapError: mapStoreError },
);
