"use server";

import { action } from "@/lib/actions/action";
import { requestClientAddress } from "@/lib/auth/client-address";
import { withHashSlot } from "@/lib/auth/hash-slots";
import { checkLoginAllowed, recordLoginFailure, recordLoginSuccess } from "@/lib/auth/login-throttle";
import { DUMMY_HASH, hashPassword, verifyPassword } from "@/lib/auth/password";
import { idpSignOutUrl } from "@/lib/auth/oidc-sign-out";
import { authSettings } from "@/lib/auth/oidc-settings";
import { passwordProblem } from "@/lib/auth/password-policy";
import { createSession, destroySession, setSessionCookie } from "@/lib/auth/session";
import { revokeUserSessions } from "@/lib/db/sessions";
import { findUserByName, getUserById, setPasswordHash } from "@/lib/db/users";
import { AppError } from "@/lib/errors";
import { changePasswordInput, emptyInput, loginInput } from "@/lib/schemas/auth";

export const loginAction = action(
  { schema: loginInput, role: "public", audit: "auth.login" },
  async ({ input, identify, setAudit }) => {
    setAudit({ targetType: "user", targetId: input.username });
    // Local accounts can be switched off once single sign-on is configured (CONVOY_LOCAL_LOGIN=off).
    if (!authSettings().localLogin)
      throw new AppError("FORBIDDEN", "Sign-in with a password is switched off here: use your identity provider.");
    const address = await requestClientAddress();
    // Throttled per address and per (user, address), never per user alone (lib/auth/login-throttle.ts).
    await checkLoginAllowed(input.username, address);
    const user = await findUserByName(input.username);
    // Verify against a dummy hash for unknown users so timing does not reveal which names exist.
    const ok = await withHashSlot(() => verifyPassword(input.password, user?.passwordHash ?? DUMMY_HASH));
    if (!user || !ok || user.disabled) {
      await recordLoginFailure(input.username, address);
      throw new AppError("UNAUTHENTICATED", "Wrong user name or password.");
    }
    await recordLoginSuccess(input.username, address);
    identify({ id: user.id, username: user.username, role: user.role });
    const { token, expiresAt } = await createSession(user.id);
    await setSessionCookie(token, expiresAt);
    return { username: user.username, role: user.role };
  },
);

/** Ends this session; for a user of the identity provider also says where to sign out there (RP-initiated logout). */
export const logoutAction = action(
  { schema: emptyInput, role: "viewer", audit: "auth.logout" },
  async ({ user, setAudit }) => {
    await destroySession(user);
    const signOutUrl = await idpSignOutUrl(user.id);
    setAudit({ targetType: "user", targetId: user.username, after: { idpSignOut: signOutUrl !== null } });
    return { ok: true, signOutUrl };
  },
);

/** Ends every session of the caller, this one included (a lost laptop, a shared screen). */
export const signOutEverywhereAction = action(
  { schema: emptyInput, role: "viewer", audit: "auth.sign-out-everywhere" },
  async ({ user, setAudit }) => {
    const ended = await destroySession(user, "everywhere");
    setAudit({ targetType: "user", targetId: user.id, after: { sessionsEnded: ended } });
    return { sessionsEnded: ended };
  },
);

/** Changes the caller's password; every other session of theirs ends (this one stays signed in). */
export const changePasswordAction = action(
  { schema: changePasswordInput, role: "viewer", audit: "auth.change-password" },
  async ({ input, user, tx }) => {
    const row = await getUserById(user.id);
    if (!row) throw new Error("the signed-in user has no row"); // as findUniqueOrThrow did: an internal error
    const current = row.passwordHash;
    if (current === null)
      throw new AppError("INVALID", "You sign in through your identity provider: there is no password to change here.");
    if (!(await withHashSlot(() => verifyPassword(input.currentPassword, current)))) {
      throw new AppError("INVALID", "The current password is wrong.");
    }
    const problem = passwordProblem(input.newPassword, row.username);
    if (problem) throw new AppError("INVALID", problem);
    const passwordHash = await withHashSlot(() => hashPassword(input.newPassword));
    const ended = await tx(
      async (t) => {
        await setPasswordHash(t, user.id, passwordHash);
        return revokeUserSessions(t, user.id, { keep: user.sessionId });
      },
      (n) => ({ targetType: "user", targetId: user.id, after: { otherSessionsEnded: n } }),
    );
    return { otherSessionsEnded: ended };
  },
);
