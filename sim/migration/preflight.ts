// Checks libvirt makes before a migration starts moving memory, with the errors a real source
// host reports for each (captures s4-err-*, real libvirt 9.0 texts).
import { missingCpuFeatures } from "../model/cpu-models";
import type { Domain } from "../model/domain";
import { isActive } from "../model/domain-state";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import { ERR, VirshError } from "../virsh/errors";
import { resolveDestUri } from "./dest-uri";
import type { MigrateFlags } from "./job";

/** Resolve and vet the destination; throws VirshError with the text virsh prints. */
export async function preflight(
  fleet: FleetState,
  src: SimHost,
  dom: Domain,
  destUri: string,
  flags: MigrateFlags,
  signal: AbortSignal,
): Promise<{ dst: SimHost; replacedDef: Domain | undefined }> {
  if (!isActive(dom.status)) throw new VirshError(ERR.notRunning);
  if (fleet.engine.jobFor(src, dom.name)) {
    await sleep(fleet.realDelayMs(30_000), signal);
    throw new VirshError(ERR.lockTimeout());
  }

  // With --p2p the source libvirtd connects and wraps the failure; without, virsh itself does.
  const connectError = (text: string) =>
    new VirshError(flags.p2p ? `operation failed: Failed to connect to remote libvirt URI ${destUri}: ${text}` : text);
  let res = resolveDestUri(destUri, fleet.hosts);
  // A host that accepts TCP but never sends the SSH banner blocks ssh (no ConnectTimeout by default).
  while (!res.ok && "hang" in res) {
    if (signal.aborted) throw new VirshError(ERR.aborted);
    await sleep(200, signal);
    res = resolveDestUri(destUri, fleet.hosts);
  }
  if (!res.ok) throw connectError(res.error);
  if (src.faults.linkDown) {
    throw connectError(
      `Cannot recv data: ssh: connect to host ${res.host.name} port ${res.host.port}: No route to host: Connection reset by peer`,
    );
  }
  const dst = res.host;
  if (dst === src) throw new VirshError(ERR.sameHost(src.uuid));

  const unsafe = dom.disks.filter((d) => !d.shared && !d.readonly);
  if (unsafe.length > 0 && !flags.unsafe && !flags.copyStorageAll && !flags.copyStorageInc) {
    throw new VirshError(ERR.unsafe);
  }
  if (flags.migrateDisks) {
    for (const t of flags.migrateDisks) {
      if (!dom.disks.some((d) => d.target === t)) {
        throw new VirshError(`invalid argument: disk target ${t} not found`);
      }
    }
  }

  const missing = missingCpuFeatures(dom.cpuModel, dst.spec.cpuModel);
  if (missing.length > 0) {
    throw new VirshError(
      `the CPU is incompatible with host CPU: Host CPU does not provide required features: ${missing.join(", ")}`,
    );
  }

  const existing = dst.domains.get(dom.name);
  let replacedDef: Domain | undefined;
  if (existing) {
    if (existing.uuid !== dom.uuid) {
      throw new VirshError(`operation failed: domain '${dom.name}' already exists with uuid ${existing.uuid}`);
    }
    if (isActive(existing.status)) {
      throw new VirshError(`Requested operation is not valid: domain '${dom.name}' is already active`);
    }
    replacedDef = existing;
  }

  return { dst, replacedDef };
}

/**
 * The destination QEMU allocates all guest RAM when it starts; a host with less free memory than
 * that fails as QEMU does (libvirt relays the destination QEMU's log line). Called synchronously
 * right before the incoming domain is created, so concurrent starts cannot overcommit.
 */
export function checkCapacity(dst: SimHost, dom: Domain): void {
  if (dst.freeKiB() >= dom.memoryKiB) return;
  const ts = new Date().toISOString().replace(/Z$/, "000Z");
  throw new VirshError(
    `internal error: qemu unexpectedly closed the monitor: ${ts} qemu-system-x86_64: cannot set up guest memory 'pc.ram': Cannot allocate memory`,
  );
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}
