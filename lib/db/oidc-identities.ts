import "server-only";
import { createHash } from "node:crypto";
import type { Role } from "@/lib/auth/roles";
import { canonicalUsername, usernameKey } from "@/lib/auth/username";
import { db, type Tx } from "@/lib/db/client";
import { revokeUserSessions } from "@/lib/db/sessions";
import { findUserByName } from "@/lib/db/users";

export type IdentityClaims = { issuer: string; subject: string; displayName: string | null; preferredName: string };

/** The user linked to this IdP account (by issuer + subject only), or null. */
export function findLinkedUser(issuer: string, subject: string, client: Tx | typeof db = db) {
  return client.oidcIdentity
    .findUnique({ where: { issuer_subject: { issuer, subject } }, include: { user: true } })
    .then((i) => i?.user ?? null);
}

/** Whether this user signs in through the IdP (no password here; sign-out goes through the IdP too). */
export async function isIdpUser(userId: string): Promise<boolean> {
  return (await db.oidcIdentity.count({ where: { userId } })) > 0;
}

/**
 * A free user name for a new IdP user: their preferred name reduced to the characters local names
 * may have; when any user (a local `admin`, another IdP user) already has it, a suffix from the
 * issuer and subject makes it distinct. The name is a label: linking never looks at it.
 */
async function freeUsername(c: IdentityClaims, client: Tx): Promise<string> {
  const base = canonicalUsername(c.preferredName)
    .replace(/[^A-Za-z0-9_.@-]/g, "")
    .slice(0, 48);
  const name = usernameKey(base).length > 1 ? base : "sso-user";
  const digest = createHash("sha256").update(`${c.issuer}\0${c.subject}`).digest("hex");
  for (const candidate of [name, `${name}-${digest.slice(0, 6)}`, `${name}-${digest.slice(0, 16)}`]) {
    if (!(await findUserByName(candidate, client))) return candidate;
  }
  return `sso-${digest.slice(0, 32)}`;
}

/**
 * Signs an IdP account in: its linked user gets the role from this sign-in's groups, or a user is
 * created and linked. Returns the user and whether it was created.
 */
export async function upsertIdpUser(client: Tx, c: IdentityClaims, role: Role) {
  const existing = await findLinkedUser(c.issuer, c.subject, client);
  const identity = { displayName: c.displayName, lastSignInAt: new Date() };
  if (existing) {
    await client.oidcIdentity.update({ where: { userId: existing.id }, data: identity });
    const user =
      existing.role === role ? existing : await client.user.update({ where: { id: existing.id }, data: { role } });
    return { user, created: false, previousRole: existing.role };
  }
  const user = await client.user.create({
    data: {
      username: await freeUsername(c, client),
      role,
      passwordHash: null,
      identity: { create: { issuer: c.issuer, subject: c.subject, ...identity } },
    },
  });
  return { user, created: true, previousRole: null };
}

/** An IdP account that may no longer sign in (no mapped group): its user's sessions end now. */
export async function revokeIdpUserSessions(client: Tx, issuer: string, subject: string): Promise<number> {
  const user = await findLinkedUser(issuer, subject, client);
  return user ? revokeUserSessions(client, user.id) : 0;
}
