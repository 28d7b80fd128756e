import * as z from "zod";
import { languages } from "./i18n";

/** The roles of DESIGN.md section 1, in the order the app lists them. */
export const roles = ["registry", "officer", "supervisor", "admin", "operator"] as const;
export const roleSchema = z.enum(roles);
export type Role = z.infer<typeof roleSchema>;

/** A role list from the API; roles this app does not know yet are dropped rather than failing the whole answer. */
export const roleListSchema = z
  .array(z.string())
  .transform((values) => values.filter((value): value is Role => roleSchema.safeParse(value).success));

export const languageSchema = z.enum(languages);
