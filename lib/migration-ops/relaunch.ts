import "server-only";
import type { Tx } from "@/lib/db/client";
import { enqueueMigration } from "@/lib/db/enqueue-migration";
import { migrationAndRelaunch } from "@/lib/db/migration-writes";
import { addEvent } from "@/lib/db/migrations";
import { storedLaunchOptions } from "@/lib/schemas/migrations";

/**
 * "Restart with auto-converge": QEMU refuses capability changes mid-migration, so the operator's
 * button aborts the run and flags it; the transaction that records the cancel also queues the new
 * attempt with auto-converge on (throttle settings from the request) — one commit, so a page or a
 * crash never sees the cancel without its relaunch.
 */
export async function relaunchIfRequested(tx: Tx, migrationId: string): Promise<void> {
  const { row: old, relaunched } = await migrationAndRelaunch(tx, migrationId);
  const request = old?.restartRequested as { initial: number; increment: number } | null | undefined;
  if (!old || !request || old.state !== "cancelled") return;
  if (relaunched) return; // already done
  const options = { ...storedLaunchOptions(old.options), autoConverge: { enabled: true, ...request } };
  const next = await enqueueMigration(
    tx,
    {
      vmUuid: old.vmUuid,
      vmName: old.vmName,
      sourceHostId: old.sourceHostId,
      destHostId: old.destHostId,
      memoryBytes: old.memoryBytes,
      vcpus: old.vcpus,
      options,
      prediction: old.prediction ?? undefined,
      prechecks: old.prechecks ?? undefined,
      policyName: old.policyName ?? undefined,
      createdById: old.createdById,
      windowId: old.windowId,
      restartOfId: old.id,
    },
    { skipCapacityCheck: true }, // the aborted attempt's reservation was just released for it
  );
  await addEvent(tx, {
    migrationId: old.id,
    source: "system",
    type: "restarted",
    message: `Relaunched with auto-converge as ${next.id}.`,
    data: { next: next.id },
  });
  await addEvent(tx, {
    migrationId: next.id,
    source: "system",
    type: "restart-of",
    message: `Restart of ${old.id} with auto-converge.`,
    data: { previous: old.id },
  });
}
