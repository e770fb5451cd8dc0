"use server";

import { action } from "@/lib/actions/action";
import { DUMMY_HASH, verifyPassword } from "@/lib/auth/password";
import { createSession, destroySession, setSessionCookie } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { emptyInput, loginInput } from "@/lib/schemas/auth";
import { checkLoginRate, recordLoginFailure } from "@/lib/auth/login-rate";

export const loginAction = action({ schema: loginInput, role: "public", audit: "auth.login" }, async ({ input, identify, setAudit }) => {
  setAudit({ targetType: "user", targetId: input.username });
  checkLoginRate(input.username);
  const user = await db.user.findUnique({ where: { username: input.username } });
  // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH);
  if (!user || !ok || user.disabled) {
    recordLoginFailure(input.username);
    throw new AppError("UNAUTHENTICATED", "Wrong user name or password.");
  }
  identify({ id: user.id, username: user.username, role: user.role });
  const { token, expiresAt } = await createSession(user.id);
  await setSessionCookie(token, expiresAt);
  return { username: user.username, role: user.role };
});

export const logoutAction = action({ schema: emptyInput, role: "viewer", audit: "auth.logout" }, async ({ user }) => {
  await destroySession(user.sessionId);
  return { ok: true };
});
