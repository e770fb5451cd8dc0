import "server-only";
import { db } from "@/lib/db/client";
import { hostFacts } from "@/lib/db/host-facts";
import { ACTIVE_STATES } from "@/lib/db/migrations";
import { type FleetHost, vmDisks } from "@/lib/schemas/wire";

// The fleet as pages and /api/fleet show it (lib/schemas/wire.ts: FleetHost).

export async function getFleet(): Promise<FleetHost[]> {
  const [hosts, active] = await Promise.all([
    // Decommissioned hosts are history only (their page and migrations still name them).
    db.host.findMany({
      where: { status: { not: "removed" } },
      orderBy: { name: "asc" },
      include: { vms: { orderBy: { name: "asc" } } },
    }),
    db.liveMigration.findMany({
      where: { state: { in: ACTIVE_STATES } },
      select: { vmUuid: true, sourceHostId: true, destHostId: true },
    }),
  ]);
  const migratingVms = new Set(active.map((m) => m.vmUuid));
  return hosts.map((h) => ({
    ...hostFacts(h),
    vmCount: h.vms.length,
    inflightOut: active.filter((m) => m.sourceHostId === h.id).length,
    inflightIn: active.filter((m) => m.destHostId === h.id).length,
    vms: h.vms.map((v) => ({
      id: v.id,
      uuid: v.uuid,
      name: v.name,
      state: v.state,
      stateReason: v.stateReason,
      vcpus: v.vcpus,
      memoryBytes: Number(v.memoryBytes),
      storage: v.storage,
      disks: vmDisks.parse(v.disks),
      migrating: migratingVms.has(v.uuid),
    })),
  }));
}
