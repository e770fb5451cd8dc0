import "server-only";
import { db } from "@/lib/db/client";

const ACTIVE = ["queued", "launching", "running", "postcopy"] as const;

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

export type FleetHost = {
  id: string;
  name: string;
  address: string;
  port: number;
  status: string;
  reachable: boolean;
  lastSeenAt: string | null;
  lastError: string | null;
  lastErrorKind: string | null;
  pendingFingerprint: string | null;
  hostKeyFingerprint: string | null;
  libvirtVersion: string | null;
  qemuVersion: string | null;
  cpuModel: string | null;
  cores: number | null;
  memoryTotalBytes: number | null;
  memoryFreeBytes: number | null;
  vmCount: number;
  inflightOut: number;
  inflightIn: number;
  vms: FleetVm[];
};

export async function getFleet(): Promise<FleetHost[]> {
  const [hosts, active] = await Promise.all([
    // Decommissioned hosts are history only (their page and migrations still name them).
    db.host.findMany({ where: { status: { not: "removed" } }, orderBy: { name: "asc" }, include: { vms: { orderBy: { name: "asc" } } } }),
    db.liveMigration.findMany({
      where: { state: { in: [...ACTIVE] } },
      select: { vmUuid: true, sourceHostId: true, destHostId: true },
    }),
  ]);
  const migratingVms = new Set(active.map((m) => m.vmUuid));
  return hosts.map((h) => ({
    id: h.id,
    name: h.name,
    address: h.address,
    port: h.port,
    status: h.status,
    reachable: h.reachable,
    lastSeenAt: h.lastSeenAt?.toISOString() ?? null,
    lastError: h.lastError,
    lastErrorKind: h.lastErrorKind,
    pendingFingerprint: h.pendingFingerprint,
    hostKeyFingerprint: h.hostKeyFingerprint,
    libvirtVersion: h.libvirtVersion,
    qemuVersion: h.qemuVersion,
    cpuModel: h.cpuModel,
    cores: h.cores,
    memoryTotalBytes: h.memoryTotalBytes === null ? null : Number(h.memoryTotalBytes),
    memoryFreeBytes: h.memoryFreeBytes === null ? null : Number(h.memoryFreeBytes),
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
