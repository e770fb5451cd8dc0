import "server-only";
import { db } from "@/lib/db/client";
import { BUILT_IN_POLICIES } from "@/lib/migration/escalation";

/** Built-in policies, with admins' stored ones (same name = override) and additions. */
export async function listPolicies(): Promise<{ name: string; description?: string; builtIn: boolean; steps: unknown }[]> {
  const stored = await db.escalationPolicy.findMany({ orderBy: { name: "asc" } });
  const byName = new Map(stored.map((p) => [p.name, p]));
  const builtIns = BUILT_IN_POLICIES.map((p) => {
    const override = byName.get(p.name);
    return { name: p.name, description: p.description, builtIn: true, steps: override?.steps ?? p.steps };
  });
  const custom = stored.filter((p) => !BUILT_IN_POLICIES.some((b) => b.name === p.name)).map((p) => ({ name: p.name, builtIn: false, steps: p.steps }));
  return [...builtIns, ...custom];
}
