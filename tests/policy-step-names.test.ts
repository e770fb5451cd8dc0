// The data migration that gives policy steps the operator controls' names
// (prisma/migrations/20261205140000_policy_steps_control_names), run against a real Postgres on a
// policy stored in the old vocabulary: the result parses, and a step that had no id keeps the one
// migrations in flight recorded for it.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { escalationPolicySchema, stepId } from "@/lib/migration/escalation";
import { useIsolatedDatabase } from "./support/isolated-db";

await useIsolatedDatabase("convoy_policy_names");
const { db } = await import("@/lib/db/client");

const SQL = readFileSync(
  path.join(import.meta.dirname, "../prisma/migrations/20261205140000_policy_steps_control_names/migration.sql"),
  "utf8",
);

describe("policy steps renamed to the controls' names", () => {
  it("renames the actions, writes the old derived ids into steps without one, keeps explicit ids", async () => {
    const old = [
      { when: "stalled", afterSeconds: 10, action: "raise-downtime", toMs: 800 },
      { id: "pc", when: "stalled", afterSeconds: 20, action: "postcopy" },
      { when: "stalled", afterSeconds: 30, action: "suspend" },
      { when: "elapsed-per-gib", perGiBSeconds: 150, action: "abort" },
    ];
    await db.escalationPolicy.create({ data: { name: "legacy", steps: old } });
    await db.$executeRawUnsafe(SQL);
    const row = await db.escalationPolicy.findUniqueOrThrow({ where: { name: "legacy" } });
    const policy = escalationPolicySchema.parse({ name: row.name, steps: row.steps });
    expect(policy.steps.map((s) => s.action)).toEqual([
      "set-max-downtime",
      "switch-to-postcopy",
      "suspend-to-finish",
      "abort",
    ]);
    expect(policy.steps.map((s, i) => stepId(s, i))).toEqual(["1-raise-downtime-800", "pc", "3-suspend", "4-abort"]);
  });
});
