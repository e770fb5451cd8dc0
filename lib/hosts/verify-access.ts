import "server-only";
import { open } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { AppError } from "@/lib/errors";
import { getSshPool } from "@/lib/ssh/pool";
import { virshVersion } from "@/lib/virsh/commands";

/** Logs in with `fingerprint` pinned and runs `virsh version`: proves key, user and libvirt work. */
export async function verifyHostAccess(hostId: string, fingerprint: string): Promise<void> {
  const h = await db.host.findUnique({ where: { id: hostId }, omit: { privateKeyEnc: false } });
  if (!h) throw new AppError("NOT_FOUND", "No such host.");
  await getSshPool().exec(
    {
      hostId: h.id,
      name: h.name,
      address: h.address,
      port: h.port,
      username: h.sshUser,
      privateKey: open(h.privateKeyEnc),
      pinnedFingerprint: fingerprint,
    },
    virshVersion(h.libvirtUri),
    { timeoutMs: 10_000 },
  );
}
