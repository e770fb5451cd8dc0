import "server-only";
import { db } from "@/lib/db/client";
import { type HostFacts, hostFacts } from "@/lib/db/host-facts";
import { ACTIVE_STATES } from "@/lib/db/migrations";

// Plain, JSON-safe shapes for pages and the /api/fleet route (bytes as numbers: < 2^53).
export type FleetVm = {
  id: string;
  uuid: string;
  name: string;
  state: string;
  stateReason: string | null;
  vcpus: number;
  memoryBytes: number;
  storage: string;
  disks: { target: string; source: string | null; shared: boolean; readonly: boolean }[];
  migrating: boolean;
};

export type FleetHost = HostFacts & {
  vmCount: number;
  inflightOut: number;
  inflightIn: number;
  vms: FleetVm[];
};

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
      disks: (v.disks as FleetVm["disks"]) ?? [],
      migrating: migratingVms.has(v.uuid),
    })),
  }));
}
