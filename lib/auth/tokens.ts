import "server-only";
import { createHash, randomBytes } from "node:crypto";
import type { Caller } from "@/lib/auth/caller";
import { ROLES, type Role } from "@/lib/auth/roles";
import { findTokenByHash, touchToken } from "@/lib/db/api-tokens";

// API tokens: `cvy_` + 32 random bytes (256 bits) in base64url. Only the SHA-256 is stored, so a
// database leak cannot be replayed; the secret is shown once, when it is created.
export const TOKEN_PREFIX = "cvy_";
const TOKEN_RE = /^cvy_[A-Za-z0-9_-]{43}$/;

export const hashTokenSecret = (secret: string) => createHash("sha256").update(secret).digest("hex");

export function newTokenSecret(): { secret: string; secretHash: string; prefix: string } {
  const secret = `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
  return { secret, secretHash: hashTokenSecret(secret), prefix: secret.slice(0, 12) };
}

/** The lower of two roles: a token acts with its own role, never above its owner's current one. */
export function cappedRole(token: Role, owner: Role): Role {
  return ROLES[Math.min(ROLES.indexOf(token), ROLES.indexOf(owner))] ?? "viewer";
}

export type BearerResult = { caller: Caller } | { refused: string };

/**
 * Resolves `Authorization: Bearer cvy_…` to the token's owner. Refused: malformed, unknown,
 * revoked, expired, or the owner disabled. The role is capped by the owner's role at this moment.
 */
export async function callerForBearer(header: string, now = new Date()): Promise<BearerResult> {
  const m = /^Bearer ([^\s]{1,200})$/.exec(header);
  const secret = m?.[1];
  if (!secret || !TOKEN_RE.test(secret)) return { refused: "malformed token" };
  const t = await findTokenByHash(hashTokenSecret(secret));
  if (!t) return { refused: "unknown token" };
  if (t.revokedAt) return { refused: "revoked token" };
  if (t.expiresAt <= now) return { refused: "expired token" };
  if (t.user.disabled) return { refused: "owner disabled" };
  await touchToken(t.id, now);
  return {
    caller: {
      id: t.user.id,
      username: t.user.username,
      role: cappedRole(t.role, t.user.role),
      sessionId: "",
      tokenId: t.id,
    },
  };
}
