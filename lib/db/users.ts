import "server-only";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { canonicalUsername } from "@/lib/auth/username";
import { db, type Tx } from "@/lib/db/client";

export function listUsers() {
  return db.user.findMany({
    orderBy: { username: "asc" },
    select: { id: true, username: true, role: true, disabled: true, createdAt: true },
  });
}

/**
 * The user whose name normalizes like `name` (any case, NFKC look-alikes, trailing dots…), through
 * the same key as the unique index (convoy_username_key, migration username_key).
 */
export async function findUserByName(name: string, client: Tx | typeof db = db) {
  const rows = await client.$queryRaw<{ id: string }[]>`
    SELECT id FROM "User" WHERE convoy_username_key(username) = convoy_username_key(${canonicalUsername(name)}) LIMIT 1`;
  const id = rows[0]?.id;
  return id ? client.user.findUnique({ where: { id } }) : null;
}

/** For seeding and the demo: creates the user when missing; never changes an existing one. */
export async function ensureUser(username: string, password: string, role: Role): Promise<boolean> {
  if (await findUserByName(username)) return false;
  await db.user.create({
    data: { username: canonicalUsername(username), role, passwordHash: await hashPassword(password) },
  });
  return true;
}

export function getUserById(id: string, client: Tx | typeof db = db) {
  return client.user.findUnique({ where: { id } });
}

export function createUser(tx: Tx, user: { username: string; role: Role; passwordHash: string }) {
  return tx.user.create({ data: user, select: { id: true, username: true, role: true } });
}

export function setPasswordHash(tx: Tx, userId: string, passwordHash: string) {
  return tx.user.update({ where: { id: userId }, data: { passwordHash } });
}

export function setUserDisabled(tx: Tx, userId: string, disabled: boolean) {
  return tx.user.update({ where: { id: userId }, data: { disabled } });
}
