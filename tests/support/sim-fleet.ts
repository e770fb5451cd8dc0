// The simulated fleet over real SSH, registered in Convoy's database the way an admin adds hosts:
// the start the integration tests share. Tests with a database of their own import this after
// useIsolatedDatabase, like lib/db.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seal } from "@/lib/crypto/secret-box";
import { db } from "@/lib/db/client";
import { getSshTarget } from "@/lib/db/hosts";
import { saveInventory } from "@/lib/db/inventory";
import { collectInventory } from "@/lib/inventory/collect";
import { getSshPool } from "@/lib/ssh/pool";
import type { FaultKind } from "@/sim/control";
import { type RunningFleet, startFleet } from "@/sim/fleet";
import type { FleetSpec } from "@/sim/fleet-file";

const SHARED = ["/mnt/shared/"];

/** Starts the fleet on free ports, its keys in a fresh temporary directory, without the control API. */
export function startTestFleet(spec: FleetSpec, timeScale: number): Promise<RunningFleet> {
  const keyDir = mkdtempSync(path.join(tmpdir(), "convoy-fleet-"));
  return startFleet(spec, { keyDir, basePort: 0, timeScale, controlPort: null });
}

/**
 * Adds every fleet host as an active host on shared storage, named as in the fleet (the migration
 * URI's {host} must resolve inside the simulator). With `inventory`, reads each host's VMs in the
 * way the worker's refresh does. Returns host name → id.
 */
export async function registerFleetHosts(
  fleet: RunningFleet,
  opts: { inventory: boolean; lastCheckedAt?: Date },
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const h of fleet.hosts) {
    const row = await db.host.create({
      data: {
        name: h.name,
        address: h.address,
        port: h.port,
        sshUser: "root",
        privateKeyEnc: seal(fleet.clientKey?.privateKey ?? ""),
        hostKeyFingerprint: h.fingerprint,
        status: "active",
        sharedStoragePrefixes: SHARED,
        lastCheckedAt: opts.lastCheckedAt,
      },
    });
    ids.set(h.name, row.id);
    if (opts.inventory) await refreshHostInventory(row.id);
  }
  return ids;
}

/** One inventory refresh of one host over SSH, as the worker does it. */
export async function refreshHostInventory(hostId: string): Promise<void> {
  const target = await getSshTarget(hostId);
  if (!target) throw new Error("no target");
  const inv = await collectInventory(getSshPool(), target, "qemu:///system", SHARED);
  await saveInventory(hostId, inv.facts, inv.vms);
}

/** Runs `fn` with `fault` on `host`, and clears the fault however `fn` ends. */
export async function withFault<T>(
  fleet: RunningFleet,
  host: string,
  fault: FaultKind,
  fn: () => Promise<T>,
): Promise<T> {
  await fleet.control.setFault(host, fault);
  try {
    return await fn();
  } finally {
    await fleet.control.setFault(host, fault, false);
  }
}
