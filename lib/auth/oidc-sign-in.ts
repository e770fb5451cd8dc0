import "server-only";
import { finishSignIn, type IdpIdentity, SignInRefused } from "@/lib/auth/oidc-client";
import { authSettings, groupsOf, roleForGroups } from "@/lib/auth/oidc-settings";
import type { Role } from "@/lib/auth/roles";
import { type AuditActor, writeAudit } from "@/lib/db/audit";
import { db, transaction } from "@/lib/db/client";
import { revokeIdpUserSessions, upsertIdpUser } from "@/lib/db/oidc-identities";
import { log } from "@/lib/log";

// The callback's decision: who the IdP says this is, which role their groups give, and whether
// they may in. Every outcome is an audit row `auth.sso-login` naming the identity (issuer, subject,
// display name) — refusals included.

/** Why a sign-in did not happen; the sign-in page words each (app/(auth)/login/sso-errors.ts). */
export type SsoFailure = "off" | "idp" | "refused" | "no-role" | "disabled" | "unavailable";
export type SsoOutcome =
  | { ok: true; user: { id: string; username: string; role: Role }; next: string }
  | { ok: false; reason: SsoFailure };

const ANONYMOUS: AuditActor = { id: null, name: "anonymous", role: null };
const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 200) : null);

export async function completeSsoSignIn(query: URLSearchParams, sealed: string | undefined): Promise<SsoOutcome> {
  const s = authSettings().oidc;
  if (!s) return { ok: false, reason: "off" };
  const audit = (
    result: "ok" | "denied" | "error",
    error: string,
    after?: unknown,
    actor = ANONYMOUS,
    targetId?: string,
  ) => writeAudit(db, { actor, action: "auth.sso-login", result, error, targetType: "user", targetId, after });

  const idpError = query.get("error");
  if (idpError) {
    await audit(
      "denied",
      `the identity provider answered ${idpError}: ${query.get("error_description") ?? ""}`.trim(),
      { issuer: s.issuer.href },
    );
    return { ok: false, reason: "idp" };
  }
  let id: IdpIdentity;
  try {
    id = await finishSignIn(s, query, sealed);
  } catch (e) {
    if (e instanceof SignInRefused) {
      await audit("denied", e.message, { issuer: s.issuer.href });
      return { ok: false, reason: "refused" };
    }
    log.warn("single sign-on: the identity provider could not be reached", { error: e });
    await audit("error", `identity provider unreachable: ${e instanceof Error ? e.name : "error"}`, {
      issuer: s.issuer.href,
    });
    return { ok: false, reason: "unavailable" };
  }

  const groups = groupsOf(id.claims, s.groupsClaim);
  const displayName = str(id.claims.name) ?? str(id.claims.preferred_username) ?? str(id.claims.email);
  const who = { issuer: id.issuer, subject: id.subject, displayName, groups: groups.slice(0, 50) };
  const role = roleForGroups(groups, s.roleMap) ?? (s.noGroup === "viewer" ? "viewer" : null);
  if (!role) {
    // Out of every mapped group now: sessions from an earlier sign-in end too.
    const ended = await transaction((t) => revokeIdpUserSessions(t, id.issuer, id.subject));
    await audit("denied", "in no group that maps to a role", { ...who, sessionsEnded: ended }, ANONYMOUS, id.subject);
    return { ok: false, reason: "no-role" };
  }

  const preferredName = str(id.claims.preferred_username) ?? str(id.claims.email) ?? displayName ?? id.subject;
  return transaction(async (t) => {
    const { user, created, previousRole } = await upsertIdpUser(
      t,
      { issuer: id.issuer, subject: id.subject, displayName, preferredName },
      role,
    );
    const actor = { id: user.id, name: user.username, role: user.role };
    const after = { ...who, role, previousRole, created };
    if (user.disabled) {
      await writeAudit(t, {
        actor,
        action: "auth.sso-login",
        result: "denied",
        error: "user disabled",
        targetType: "user",
        targetId: user.username,
        after,
      });
      return { ok: false, reason: "disabled" } as const;
    }
    await writeAudit(t, {
      actor,
      action: "auth.sso-login",
      result: "ok",
      targetType: "user",
      targetId: user.username,
      after,
    });
    return { ok: true, user: { id: user.id, username: user.username, role: user.role }, next: id.next } as const;
  });
}
