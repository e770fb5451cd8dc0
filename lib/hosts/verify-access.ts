import "server-only";
import { getHostById, getSshTarget } from "@/lib/db/hosts";
import { AppError } from "@/lib/errors";
import { getSshPool } from "@/lib/ssh/pool";
import { virshVersion } from "@/lib/virsh/commands";

/** Logs in with `fingerprint` pinned and runs `virsh version`: proves key, user and libvirt work. */
export async function verifyHostAccess(hostId: string, fingerprint: string): Promise<void> {
  const [host, target] = await Promise.all([
    getHostById(hostId),
    getSshTarget(hostId, { pinnedFingerprint: fingerprint }),
  ]);
  if (!host || !target) throw new AppError("NOT_FOUND", "No such host.");
  await getSshPool().exec(target, virshVersion(host.libvirtUri), { timeoutMs: 10_000 });
}
