import "server-only";
import { writeAudit } from "@/lib/db/audit";
import { db } from "@/lib/db/client";
import { cachedSshTarget, claimHostsForRefresh, finishHostRead, type HostRead } from "@/lib/db/hosts";
import { saveHostError, saveInventory } from "@/lib/db/inventory";
import { env } from "@/lib/env";
import { collectInventory } from "@/lib/inventory/collect";
import { emptyMemo, type HostReadMemo } from "@/lib/inventory/read-memo";
import { log } from "@/lib/log";
import { metrics } from "@/lib/metrics/convoy";
import { describeSshError, SshError } from "@/lib/ssh/errors";
import { getSshPool } from "@/lib/ssh/pool";

/**
 * Keeps up to CONVOY_INVENTORY_CONCURRENCY host reads in flight: whenever one finishes, the next
 * due host is claimed, so a worker reads hosts as fast as they answer instead of a fixed batch per
 * second (16 hosts/s could not refresh 500 hosts every 10 s). One slow host holds one slot only.
 */
export class InventoryRefresher {
  private inFlight = 0;
  private wake: (() => void) | null = null;

  constructor(private readonly workerId: string) {}

  async run(isRunning: () => boolean): Promise<void> {
    const { CONVOY_INVENTORY_CONCURRENCY: slots, CONVOY_INVENTORY_INTERVAL_MS: interval } = env();
    while (isRunning()) {
      let claimed: HostRead[] = [];
      try {
        if (this.inFlight < slots) claimed = await claimHostsForRefresh(slots - this.inFlight, interval, this.workerId);
      } catch (e) {
        log.error("inventory claim failed", { error: e });
        metrics().loopErrors.inc({ loop: "inventory" });
      }
      for (const host of claimed) this.start(host);
      // Nothing due (or every slot busy): wait for a slot to free or for hosts to fall due.
      if (claimed.length === 0 || this.inFlight >= slots) await this.idle(claimed.length === 0 ? 500 : 1_000);
    }
  }

  private start(host: HostRead): void {
    this.inFlight += 1;
    void refreshHost(host)
      .catch((e) => {
        log.error("inventory refresh failed", { error: e });
        return false;
      })
      .then((recorded) => (recorded ? undefined : finishHostRead(host.id)))
      .catch((e) => log.error("inventory refresh failed", { error: e }))
      .finally(() => {
        this.inFlight -= 1;
        this.wake?.();
      });
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      function done() {
        clearTimeout(t);
        resolve();
      }
      this.wake = done;
    });
  }
}

/** One round: claims the hosts due now (up to the concurrency) and waits for their reads. */
export async function refreshInventoryOnce(): Promise<void> {
  const hosts = await claimHostsForRefresh(env().CONVOY_INVENTORY_CONCURRENCY, env().CONVOY_INVENTORY_INTERVAL_MS);
  await Promise.all(
    hosts.map((host) =>
      refreshHost(host)
        .catch(() => false)
        .then((recorded) => (recorded ? undefined : finishHostRead(host.id))),
    ),
  );
}

/**
 * This worker's memo of each host's last successful read (lib/inventory/read-memo.ts). A failed
 * read drops it, so the next read starts afresh (first contact again).
 */
const memos = new Map<string, HostReadMemo>();

/** Reads and stores one host; true when the outcome (inventory or error) was stored, which ends the read. */
async function refreshHost(host: HostRead): Promise<boolean> {
  const hostId = host.id;
  const target = await cachedSshTarget(host);
  if (!target) return false;
  const memo = memos.get(hostId) ?? emptyMemo();
  memos.delete(hostId);
  try {
    const { facts, vms, skipped } = await collectInventory(
      getSshPool(),
      target,
      host.libvirtUri,
      host.sharedStoragePrefixes,
      memo,
    );
    const { vmRowsWritten } = await saveInventory(hostId, facts, vms);
    memos.set(hostId, memo);
    metrics().inventoryRefreshes.inc({ outcome: "ok" });
    metrics().inventoryVmRowsWritten.inc(undefined, vmRowsWritten);
    if (skipped.length) log.warn("inventory skipped domains", { host: host.name, skipped });
    return true;
  } catch (e) {
    const kind = e instanceof SshError ? e.kind : "parse";
    const message =
      e instanceof SshError ? describeSshError(e) : `Could not read the inventory: ${(e as Error).message}`;
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
    if (kind !== "host-key" && kind !== "unreachable")
      log.warn("inventory failed", { host: host.name, kind, error: message });
    await saveHostError(hostId, kind, message);
    metrics().inventoryRefreshes.inc({ outcome: "error" });
    return true;
  }
}
