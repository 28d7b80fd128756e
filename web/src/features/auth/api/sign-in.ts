import { useMutation } from "@tanstack/react-query";
import * as z from "zod";
import { apiRequest } from "../../../lib/api";
import { meSchema } from "./me";

const sentSchema = z.object({ sent: z.literal(true) });

export const sessionSchema = z.object({ token: z.string().min(1), expiresAt: z.string(), user: meSchema });
export type Session = z.infer<typeof sessionSchema>;

/** Asks for a one-time code to be mailed to `email`. */
export function useRequestCode() {
  return useMutation({
    mutationFn: (email: string) => apiRequest({ path: "/auth/otp", method: "POST", body: { email }, schema: sentSchema }),
  });
}

/** Trades the mailed code for a session token. */
export function useExchangeCode() {
  return useMutation({
    mutationFn: (input: { email: string; code: string }) =>
      apiRequest({ path: "/auth/token", method: "POST", body: input, schema: sessionSchema }),
  });
}
