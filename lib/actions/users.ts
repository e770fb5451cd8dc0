"use server";

import { action } from "@/lib/actions/action";
import { hashPassword } from "@/lib/auth/password";
import { AppError } from "@/lib/errors";
import { createUserInput } from "@/lib/schemas/auth";

export const createUserAction = action({ schema: createUserInput, role: "admin", audit: "user.create" }, async ({ input, tx }) => {
  const passwordHash = await hashPassword(input.password);
  const user = await tx(
    async (t) => {
      if (await t.user.findUnique({ where: { username: input.username } })) {
        throw new AppError("CONFLICT", `User ${input.username} already exists.`);
      }
      return t.user.create({ data: { username: input.username, role: input.role, passwordHash }, select: { id: true, username: true, role: true } });
    },
    (u) => ({ targetType: "user", targetId: u.id, after: { username: u.username, role: u.role } }),
  );
  return user;
});
