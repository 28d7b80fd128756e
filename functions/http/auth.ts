import * as z from "zod";
import { EmailSchema } from "../core/directory-schemas";
import { OTP_DIGITS } from "../core/otp";
import { SignInService } from "../identity/sign-in";
import { httpHandler, parseJsonBody } from "../platform/http";
import { directory, identityProvider, mapStoreError, otpStore } from "./deps";
import { meView } from "./views";

/** `POST /api/auth/otp` and `POST /api/auth/token`: sign-in with a one-time code (DESIGN.md section 6). */

const OtpRequest = z.strictObject({ email: EmailSchema });
const TokenRequest = z.strictObject({
  email: EmailSchema,
  code: z.string().trim().regex(new RegExp(`^\\d{${OTP_DIGITS}}$`), `The code has ${OTP_DIGITS} digits`),
});

const signIn = new SignInService({ directory, requests: otpStore, provider: identityProvider() });

export const handler = httpHandler(
  {
    "POST /api/auth/otp": async (event) => {
      const { email } = parseJsonBody(event, OtpRequest);
      await signIn.requestCode(email);
      return { status: 202, body: { sent: true } };
    },
    "POST /api/auth/token": async (event) => {
      const { email, code } = parseJsonBody(event, TokenRequest);
      const { token, expiresAt, principal } = await signIn.exchangeCode(email, code);
      return { status: 200, body: { token, expiresAt, user: meView(principal) } };
    },
  },
  { mapError: mapStoreError },
);
