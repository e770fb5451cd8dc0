import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { claimHostsForRefresh, sshTargetOf } from "@/lib/db/hosts";
import { saveHostError, saveInventory } from "@/lib/db/inventory";
import { env } from "@/lib/env";
import { collectInventory } from "@/lib/inventory/collect";
import { log } from "@/lib/log";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { getSshPool } from "@/lib/ssh/pool";

const BATCH = 16;

/** Claims the hosts due for a refresh and reads them in parallel; one slow host delays no other. */
export async function refreshInventoryOnce(): Promise<void> {
  const ids = await claimHostsForRefresh(BATCH, env().CONVOY_INVENTORY_INTERVAL_MS);
  await Promise.all(ids.map(refreshHost));
}

async function refreshHost(hostId: string): Promise<void> {
  const host = await db.host.findUnique({ where: { id: hostId }, omit: { privateKeyEnc: false } });
  const target = host && sshTargetOf(host);
  if (!host || !target) return;
  try {
    const { facts, vms, skipped } = await collectInventory(getSshPool(), target, host.libvirtUri, host.sharedStoragePrefixes);
    await saveInventory(hostId, facts, vms);
    if (skipped.length) log.warn("inventory skipped domains", { host: host.name, skipped });
  } catch (e) {
    const kind = e instanceof SshError ? e.kind : "parse";
    const message = e instanceof SshError ? describeSshError(e) : `Could not read the inventory: ${(e as Error).message}`;
    if (kind === "host-key" && host.lastErrorKind !== "host-key") {
      // A changed host key is a security event: audit it once, when it starts.
      await writeAudit(db, {
        actor: { id: null, name: "system:worker", role: null },
        action: "host.key-mismatch",
        result: "denied",
        targetType: "host",
        targetId: hostId,
        error: message,
      });
    }
    if (kind !== "host-key" && kind !== "unreachable") log.warn("inventory failed", { host: host.name, kind, error: message });
    await saveHostError(hostId, kind, message);
  }
}
