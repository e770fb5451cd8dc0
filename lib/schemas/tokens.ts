import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { lineText } from "@/lib/schemas/text";

// API tokens: the Account page (own tokens) and the Users page (any user's, service accounts).

export const MAX_TOKEN_DAYS = 366;

export const createTokenInput = z.object({
  name: lineText(1, 80),
  role: z.enum(ROLES),
  expiresInDays: z.coerce.number().int().min(1).max(MAX_TOKEN_DAYS).default(90),
  /** Whose token: absent = the caller's own; another user's needs an admin. */
  userId: z.string().uuid().optional(),
});

export const tokenIdInput = z.object({ tokenId: z.string().uuid() });
