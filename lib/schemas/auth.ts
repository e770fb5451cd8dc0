import "server-only";
import { z } from "zod";
import { passwordProblem } from "@/lib/auth/password-policy";
import { ROLES } from "@/lib/auth/roles";
import { newPassword, username } from "@/lib/schemas/accounts";
import { lineText } from "@/lib/schemas/text";

// Server-only: the password rules carry zxcvbn's dictionaries, which no browser bundle needs.

export const loginInput = z.object({
  username: lineText(1, 64, "Required"),
  password: z.string().min(1, "Required").max(256),
});

export const createUserInput = z
  .object({ username, password: newPassword, role: z.enum(ROLES) })
  .superRefine((v, ctx) => {
    const problem = passwordProblem(v.password, v.username);
    if (problem) ctx.addIssue({ code: "custom", path: ["password"], message: problem });
  });

export const changePasswordInput = z.object({
  currentPassword: z.string().min(1, "Required").max(256),
  newPassword,
});

export const userIdInput = z.object({ userId: z.string().uuid() });
export const setUserDisabledInput = z.object({ userId: z.string().uuid(), disabled: z.boolean() });

export const emptyInput = z.object({}).strict();
