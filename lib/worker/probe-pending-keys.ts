import "server-only";
import { db } from "@/lib/db/client";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { probeHostKey } from "@/lib/ssh/host-keys";

/** Hosts imported without a fingerprint: read the key they offer so an admin can confirm it. */
export async function probePendingHostKeys(): Promise<void> {
  const hosts = await db.host.findMany({
    where: { status: "pending_key", pendingFingerprint: null, OR: [{ lastCheckedAt: null }, { lastCheckedAt: { lt: new Date(Date.now() - 30_000) } }] },
    select: { id: true, address: true, port: true },
    take: 16,
  });
  await Promise.all(
    hosts.map(async (h) => {
      await db.host.update({ where: { id: h.id }, data: { lastCheckedAt: new Date() } });
      try {
        const { fingerprint } = await probeHostKey({ address: h.address, port: h.port, timeoutMs: 5_000 });
        await db.host.updateMany({ where: { id: h.id, pendingFingerprint: null }, data: { pendingFingerprint: fingerprint, lastError: null, lastErrorKind: null } });
      } catch (e) {
        const message = e instanceof SshError ? describeSshError(e) : String(e);
        await db.host.update({ where: { id: h.id }, data: { lastError: message, lastErrorKind: e instanceof SshError ? e.kind : "unknown" } });
      }
    }),
  );
}
