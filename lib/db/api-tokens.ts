import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { Role } from "@/lib/generated/prisma/client";

// API tokens: only the SHA-256 of the secret is stored (lib/auth/tokens.ts makes and checks it).

const LIST_FIELDS = {
  id: true,
  name: true,
  role: true,
  prefix: true,
  createdAt: true,
  expiresAt: true,
  lastUsedAt: true,
  revokedAt: true,
  user: { select: { id: true, username: true, serviceAccount: true } },
} as const;

/** The token with this secret hash and its owner's current role and state (never the hash). */
export function findTokenByHash(secretHash: string) {
  return db.apiToken.findUnique({
    where: { secretHash },
    select: {
      id: true,
      name: true,
      role: true,
      expiresAt: true,
      revokedAt: true,
      lastUsedAt: true,
      user: { select: { id: true, username: true, role: true, disabled: true } },
    },
  });
}

/** Last use, written at most once a minute per token so a busy script does not write every call. */
export async function touchToken(id: string, now = new Date()): Promise<void> {
  await db.apiToken.updateMany({
    where: { id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - 60_000) } }] },
    data: { lastUsedAt: now },
  });
}

export type NewToken = {
  name: string;
  userId: string;
  role: Role;
  secretHash: string;
  prefix: string;
  expiresAt: Date;
  createdById: string;
};

export function insertToken(tx: Tx, t: NewToken) {
  return tx.apiToken.create({ data: t, select: LIST_FIELDS });
}

/** Revokes a live token; returns its row before, or null when there is none (or it was revoked already). */
export async function revokeToken(tx: Tx, id: string, ownerId?: string) {
  const before = await tx.apiToken.findFirst({ where: { id, userId: ownerId }, select: LIST_FIELDS });
  if (!before) return null;
  await tx.apiToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return before;
}

/** One user's tokens (the Account page), or everyone's (the Users page), newest first. */
export function listTokens(userId?: string) {
  return db.apiToken.findMany({ where: { userId }, select: LIST_FIELDS, orderBy: { createdAt: "desc" }, take: 500 });
}
export type TokenRow = Awaited<ReturnType<typeof listTokens>>[number];

export function findTokenOwner(tx: Tx, userId: string) {
  return tx.user.findUnique({
    where: { id: userId },
    select: { id: true, username: true, role: true, disabled: true, serviceAccount: true },
  });
}

/** A service account: a user without a usable password ("!" never verifies), acting only through tokens. */
export function insertServiceAccount(tx: Tx, username: string, role: Role) {
  return tx.user.create({
    data: { username, role, passwordHash: "!", serviceAccount: true },
    select: { id: true, username: true, role: true },
  });
}
