import { z } from "zod";
import { ROLES } from "@/lib/auth/roles";
import { lineText } from "@/lib/schemas/text";

export const loginInput = z.object({
  username: lineText(1, 64, "Required"),
  password: z.string().min(1, "Required").max(256),
});

export const createUserInput = z.object({
  username: z.string().trim().regex(/^[A-Za-z0-9_.@-]{2,64}$/, "2–64 letters, digits or _.@-"),
  password: z.string().min(12, "At least 12 characters").max(256),
  role: z.enum(ROLES),
});

export const emptyInput = z.object({}).strict();
