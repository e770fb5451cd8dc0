import "server-only";
import { claimKeyProbes, saveKeyProbeError, savePendingFingerprint } from "@/lib/db/hosts";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { probeHostKey } from "@/lib/ssh/host-keys";

/** Hosts imported without a fingerprint: read the key they offer so an admin can confirm it. */
export async function probePendingHostKeys(): Promise<void> {
  const hosts = await claimKeyProbes(16);
  await Promise.all(
    hosts.map(async (h) => {
      try {
        const { fingerprint } = await probeHostKey({ address: h.address, port: h.port, timeoutMs: 5_000 });
        await savePendingFingerprint(h.id, fingerprint);
      } catch (e) {
        const message = e instanceof SshError ? describeSshError(e) : String(e);
        await saveKeyProbeError(h.id, message, e instanceof SshError ? e.kind : "unknown");
      }
    }),
  );
}
