import "server-only";
import { db } from "@/lib/db/client";

// What the pre-checks and the predictor read about a VM and its possible destinations.

export function getVmWithHost(vmId: string) {
  return db.vm.findUnique({ where: { id: vmId }, include: { host: true } });
}

/** One named destination, or every other host in service ("best"). */
export function destinationCandidates(destHostId: string | "best", sourceHostId: string) {
  return db.host.findMany({
    where: destHostId === "best" ? { status: "active", id: { not: sourceHostId } } : { id: destHostId },
  });
}

/** RAM and vCPUs reserved on a host by migrations in flight, and vCPUs of its running guests. */
export async function hostCommitments(
  hostId: string,
): Promise<{ reservedBytes: number; reservedVcpus: number; vcpusInUse: number }> {
  const [held, running] = await Promise.all([
    db.reservation.aggregate({ where: { hostId }, _sum: { memoryBytes: true, vcpus: true } }),
    db.vm.aggregate({ where: { hostId, state: "running" }, _sum: { vcpus: true } }),
  ]);
  return {
    reservedBytes: Number(held._sum.memoryBytes ?? 0),
    reservedVcpus: held._sum.vcpus ?? 0,
    vcpusInUse: running._sum.vcpus ?? 0,
  };
}
