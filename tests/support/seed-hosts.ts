// Hosts that exist only in the database, as an inventory refresh of a reachable host leaves them:
// for tests of planning, draining and lifecycle rules that never open an SSH connection.
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";

const GiB = 2 ** 30;

/** A reachable host with 32 cores, 64 GiB all free and libvirt 9.0.0 unless told otherwise; returns its id. */
export async function createInventoriedHost(
  name: string,
  over: { cpuModel?: string; cores?: number; memGiB?: number; nicBps?: bigint } = {},
): Promise<string> {
  const memory = BigInt((over.memGiB ?? 64) * GiB);
  const row = await db.host.create({
    data: {
      name,
      address: "127.0.0.1",
      sshUser: "root",
      privateKeyEnc: seal("not a real key"),
      hostKeyFingerprint: "SHA256:test",
      status: "active",
      reachable: true,
      lastSeenAt: new Date(),
      cpuModel: over.cpuModel ?? "T",
      cores: over.cores ?? 32,
      memoryTotalBytes: memory,
      memoryFreeBytes: memory,
      libvirtVersion: "9.0.0",
      nicBps: over.nicBps,
    },
  });
  return row.id;
}
