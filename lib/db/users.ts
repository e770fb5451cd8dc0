import "server-only";
import { hashPassword } from "@/lib/auth/password";
import type { Role } from "@/lib/auth/roles";
import { db } from "@/lib/db/client";

export function listUsers() {
  return db.user.findMany({ orderBy: { username: "asc" }, select: { id: true, username: true, role: true, disabled: true, createdAt: true } });
}

/** For seeding and the demo: creates the user when missing; never changes an existing one. */
export async function ensureUser(username: string, password: string, role: Role): Promise<boolean> {
  if (await db.user.findUnique({ where: { username } })) return false;
  await db.user.create({ data: { username, role, passwordHash: await hashPassword(password) } });
  return true;
}
