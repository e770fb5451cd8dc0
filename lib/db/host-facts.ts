import "server-only";
import type { Host } from "@/lib/generated/prisma/client";
import type { HostView } from "@/lib/schemas/wire";

/** A host's own facts, JSON-safe (bytes as numbers: < 2^53): one mapping for the fleet and the host page. */
export function hostFacts(h: Host): HostView {
  return {
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
    removedAt: h.removedAt?.toISOString() ?? null,
  };
}
