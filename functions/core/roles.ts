/** The roles of DESIGN.md section 1. A user may hold several. Pure data, imports nothing. */
export const ROLES = ["registry", "officer", "supervisor", "admin", "operator"] as const;
export type Role = (typeof ROLES)[number];
