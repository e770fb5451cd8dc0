import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { canonicalUsername, usernameKey } from "@/lib/auth/username";

// The new-account fields, importable by the browser: the users page's forms check them before
// sending (components/ui/use-zod-form.ts), and the actions check them again; lib/schemas/auth.ts
// adds the password policy, whose zxcvbn dictionaries stay on the server.

export const username = z
  .string()
  .transform(canonicalUsername)
  .pipe(z.string().regex(/^[A-Za-z0-9_.@-]{2,64}$/, "2–64 letters, digits or _.@-"))
  .refine((u) => usernameKey(u).length > 0, "Must contain a letter or digit");

export const newPassword = z.string().max(256, "At most 256 characters");

export const createServiceAccountInput = z.object({ username, role: z.enum(ROLES) });

/** A user or a service account as the form checks it (a service account has no password). */
export const newAccountFields = createServiceAccountInput.extend({ password: newPassword.optional() });
