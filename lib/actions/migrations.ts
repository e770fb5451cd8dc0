"use server";

import { action } from "@/lib/actions/action";
import { hasRole } from "@/lib/auth/roles";
import { enqueueMigration, findMigrationByIdempotencyKey } from "@/lib/db/enqueue-migration";
import { addEvent } from "@/lib/db/migrations";
import { AppError } from "@/lib/errors";
import { applyControl } from "@/lib/migration-ops/controls";
import { findPolicy } from "@/lib/migration-ops/escalate";
import { predictForVm } from "@/lib/migration-ops/predict";
import { precheck } from "@/lib/migration-ops/prechecks";
import { controlAuditAction, controlMigrationInput } from "@/lib/migration/operator-actions";
import { precheckInput, predictInput, startMigrationInput } from "@/lib/schemas/migrations";

export const precheckMigrationAction = action(
  { schema: precheckInput, role: "operator", audit: "migration.precheck" },
  async ({ input, setAudit }) => {
    setAudit({ targetType: "vm", targetId: input.vmId });
    return precheck(input.vmId, input.destHostId);
  },
);

export const predictMigrationAction = action(
  { schema: predictInput, role: "operator", audit: "migration.predict" },
  async ({ input, setAudit }) => {
    setAudit({ targetType: "vm", targetId: input.vmId });
    return predictForVm(input.vmId, input.seconds);
  },
);

/** Re-runs the pre-checks (never trusting the page), then queues the migration and its reservation. */
export const startMigrationAction = action(
  { schema: startMigrationInput, role: "operator", audit: "migration.start" },
  async ({ input, user, tx }) => {
    const existing = await findMigrationByIdempotencyKey(input.idempotencyKey);
    if (existing) return { migrationId: existing.id, duplicate: true };
    if (input.policyName !== "none" && !(await findPolicy(input.policyName)))
      throw new AppError("INVALID", `No escalation policy named ${input.policyName}.`);
    const report = await precheck(input.vmId, input.destHostId);
    const chosen = report.chosen;
    if (!chosen) throw new AppError("CONFLICT", "No destination passes the pre-checks.");
    if (!chosen.result.ok) {
      const failed = chosen.result.checks.filter((c) => !c.ok).map((c) => `${c.label}: ${c.detail}`);
      if (!input.overrideReason) throw new AppError("CONFLICT", `Pre-checks failed — ${failed.join("; ")}`);
      if (!hasRole(user.role, "admin"))
        throw new AppError("FORBIDDEN", "Only an admin can start a migration despite failed pre-checks.");
    }
    const options = {
      ...input.options,
      copyStorage: chosen.result.copyStorage,
      migrateDisks: chosen.result.migrateDisks,
    };
    const row = await tx(
      async (t) => {
        const m = await enqueueMigration(t, {
          vmUuid: report.vm.uuid,
          vmName: report.vm.name,
          sourceHostId: report.vm.hostId,
          destHostId: chosen.hostId,
          memoryBytes: BigInt(report.vm.memoryBytes),
          vcpus: report.vm.vcpus,
          options,
          prechecks: chosen.result,
          overrideReason: chosen.result.ok ? undefined : input.overrideReason,
          policyName: input.policyName,
          createdById: user.id,
          idempotencyKey: input.idempotencyKey,
        });
        await addEvent(t, {
          migrationId: m.id,
          source: "operator",
          type: "queued",
          message: `${user.username} started ${report.vm.name}: ${report.vm.hostName} → ${chosen.hostName}${chosen.result.ok ? "" : ` (pre-checks overridden: ${input.overrideReason})`}`,
          actorId: user.id,
        });
        return m;
      },
      (m) => ({
        targetType: "migration",
        targetId: m.id,
        after: {
          vm: report.vm.name,
          from: report.vm.hostName,
          to: chosen.hostName,
          options,
          overrideReason: input.overrideReason ?? null,
        },
      }),
    );
    return { migrationId: row.id, duplicate: false };
  },
);

const actor = (user: { id: string; username: string }) => ({
  id: user.id,
  name: user.username,
  source: "operator" as const,
});

/** Every operator control, audited under its own name (`migration.abort`, …): see operator-actions. */
export const controlMigrationAction = action(
  { schema: controlMigrationInput, role: "operator", audit: "migration.control", auditAs: controlAuditAction },
  async ({ input, user, setAudit }) => {
    const { action: _, migrationId, idempotencyKey, ...params } = input;
    setAudit({
      targetType: "migration",
      targetId: migrationId,
      ...(Object.keys(params).length ? { after: params } : {}),
    });
    return applyControl(migrationId, actor(user), idempotencyKey, input);
  },
);
