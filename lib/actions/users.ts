"use server";

import { action } from "@/lib/actions/action";
import { withHashSlot } from "@/lib/auth/hash-slots";
import { hashPassword } from "@/lib/auth/password";
import { revokeUserSessions } from "@/lib/db/sessions";
import { createUser, findUserByName, getUserById, setUserDisabled } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { createUserInput, setUserDisabledInput, userIdInput } from "@/lib/schemas/auth";

export const createUserAction = action(
  { schema: createUserInput, role: "admin", audit: "user.create" },
  async ({ input, tx }) => {
    const passwordHash = await withHashSlot(() => hashPassword(input.password));
    const user = await tx(
      async (t) => {
        // Names are unique by their normalized key (`Sec-Viewer` = `sec-viewer`, `admin.` = `admin`);
        // the unique index refuses a racing twin, this check names the existing one.
        const existing = await findUserByName(input.username, t);
        if (existing)
          throw new AppError(
            "CONFLICT",
            `User ${existing.username} already exists (names are compared ignoring case and surrounding punctuation).`,
          );
        return createUser(t, { username: input.username, role: input.role, passwordHash });
      },
      (u) => ({ targetType: "user", targetId: u.id, after: { username: u.username, role: u.role } }),
    );
    return user;
  },
);

/** Ends every session of a user (a stolen laptop, a leaving colleague); they can sign in again. */
export const revokeUserSessionsAction = action(
  { schema: userIdInput, role: "admin", audit: "user.revoke-sessions" },
  async ({ input, tx }) => {
    const ended = await tx(
      async (t) => {
        if (!(await getUserById(input.userId, t))) throw new AppError("NOT_FOUND", "No such user.");
        return revokeUserSessions(t, input.userId);
      },
      (n) => ({ targetType: "user", targetId: input.userId, after: { sessionsEnded: n } }),
    );
    return { sessionsEnded: ended };
  },
);

/** Disables (ending every session at once) or re-enables a user. Admins cannot disable themselves. */
export const setUserDisabledAction = action(
  { schema: setUserDisabledInput, role: "admin", audit: "user.set-disabled" },
  async ({ input, user, tx }) => {
    if (input.userId === user.id && input.disabled)
      throw new AppError("INVALID", "You cannot disable your own account.");
    return tx(
      async (t) => {
        const before = await getUserById(input.userId, t);
        if (!before) throw new AppError("NOT_FOUND", "No such user.");
        await setUserDisabled(t, input.userId, input.disabled);
        const sessionsEnded = input.disabled ? await revokeUserSessions(t, input.userId) : 0;
        return { before, disabled: input.disabled, sessionsEnded };
      },
      (r) => ({
        targetType: "user",
        targetId: input.userId,
        before: { disabled: r.before.disabled },
        after: { disabled: r.disabled, sessionsEnded: r.sessionsEnded },
      }),
    ).then(({ disabled, sessionsEnded }) => ({ disabled, sessionsEnded }));
  },
);
