import "server-only";
import { db, type Tx } from "@/lib/db/client";
import type { Prisma } from "@/lib/generated/prisma/client";
import { BUILT_IN_POLICIES } from "@/lib/migration/escalation";

/** Built-in policies, with admins' stored ones (same name = override) and additions. */
export async function listPolicies(): Promise<
  { name: string; description?: string; builtIn: boolean; steps: unknown }[]
> {
  const stored = await db.escalationPolicy.findMany({ orderBy: { name: "asc" } });
  const byName = new Map(stored.map((p) => [p.name, p]));
  const builtIns = BUILT_IN_POLICIES.map((p) => {
    const override = byName.get(p.name);
    return { name: p.name, description: p.description, builtIn: true, steps: override?.steps ?? p.steps };
  });
  const custom = stored
    .filter((p) => !BUILT_IN_POLICIES.some((b) => b.name === p.name))
    .map((p) => ({ name: p.name, builtIn: false, steps: p.steps }));
  return [...builtIns, ...custom];
}

/** Creates or replaces a stored policy; returns the steps it replaced (null when new). */
export async function savePolicy(
  tx: Tx,
  p: { name: string; steps: Prisma.InputJsonValue },
): Promise<{ name: string; before: Prisma.JsonValue | null }> {
  const before = await tx.escalationPolicy.findUnique({ where: { name: p.name } });
  const row = await tx.escalationPolicy.upsert({ where: { name: p.name }, create: p, update: { steps: p.steps } });
  return { name: row.name, before: before?.steps ?? null };
}

/** A built-in policy gets a row (same steps) the first time a window uses it: windows reference rows. */
export function ensurePolicyRow(tx: Tx, p: { name: string; steps: Prisma.InputJsonValue }) {
  return tx.escalationPolicy.upsert({ where: { name: p.name }, create: p, update: {} });
}

export function getStoredPolicy(name: string) {
  return db.escalationPolicy.findUnique({ where: { name } });
}
