// What each end of a migration looks like afterwards, per libvirt 9.0 (captures s1-07, s2a, s3*,
// s5c, s7, s8; real libvirt 9.0): who keeps which definition in which state, and which
// completed-job statistics `domjobinfo --completed` then shows on each side.
import { defaultTunables, setStatus } from "../model/domain";
import type { FleetState } from "../model/fleet-state";
import { JOB_TYPE } from "../virsh/jobinfo-format";
import { ERR } from "../virsh/errors";
import type { MigrationJob } from "./job";

export function finishCompleted(fleet: FleetState, job: MigrationJob): void {
  const now = fleet.nowMs;
  const { src, srcDom, dstDom } = job;
  const stats = job.physics.completedStats("source") ?? { ...job.physics.jobStats(), operation: 5 };
  srcDom.completed = { type: JOB_TYPE.completed, stats };
  srcDom.qemuMigration = { status: "completed" };
  // libvirt emits job-completed on the source with the same statistics, also after post-copy and
  // with --undefinesource, when no host keeps a completed record (lab, libvirt 9.0).
  fleet.domainEvents.emit("job-completed", { host: src.name, domain: srcDom.name, stats: { ...stats, operation: 5 } });
  // The incoming side reports the same transfer, measured from its own (slightly later) start;
  // after a post-copy migration it has no completed job at all (captures s3a/s3b).
  if (job.state !== "postcopy") {
    const inStats: Record<string, number> = { ...(job.physics.completedStats("destination") ?? stats), operation: 4 };
    const skew = Math.min(30, Math.max(1, inStats.setup_time ?? 1));
    for (const k of ["time_elapsed", "time_elapsed_net"]) {
      if (typeof inStats[k] === "number") inStats[k] = Math.max(0, (inStats[k] as number) - skew);
    }
    dstDom.completed = { type: JOB_TYPE.completed, stats: inStats };
  } else {
    dstDom.completed = undefined;
  }

  // Source: the QEMU process is gone; the persistent definition stays as "shut off (migrated)".
  setStatus(srcDom, { state: "shut off", reason: "migrated" }, now);
  srcDom.id = null;
  srcDom.dirtyCalc = undefined;
  if (job.flags.undefineSource || !srcDom.persistent) src.domains.delete(srcDom.name);

  // Destination: libvirt resumes the guest itself, even when the source had been suspended.
  setStatus(dstDom, { state: "running", reason: "migrated" }, now);
  dstDom.qemuMigration = { status: "completed" };
  dstDom.persistent = dstDom.persistent || job.flags.persistent || job.replacedDef !== undefined;
  dstDom.tunables = defaultTunables();
  landGuestFault(job, now);
  job.state = "done";
  job.settle({ kind: "completed" });
}

/**
 * A fault armed on the VM strikes as it lands: "panic" = a guest with a pvpanic device and
 * on_crash=preserve (`crashed (panicked)`); "hang" = a kernel hung after landing, which domstate
 * still calls running while its vCPU time stands still (what the QEMU 7.2 TCG lab guests did).
 */
function landGuestFault(job: MigrationJob, now: number): void {
  const fault = job.srcDom.guestFault ?? job.dstDom.guestFault;
  job.srcDom.guestFault = undefined;
  job.dstDom.guestFault = undefined;
  if (fault === "panic") setStatus(job.dstDom, { state: "crashed", reason: "panicked" }, now);
  if (fault === "hang") {
    setStatus(job.dstDom, job.dstDom.status, now); // CPU time accrued so far stays, then stops
    job.dstDom.frozen = true;
  }
}

/** Aborted (domjobabort, client gone, libvirtd restart): the guest keeps running on the source. */
export function finishCancelled(fleet: FleetState, job: MigrationJob, lines?: string[]): void {
  rollBack(fleet, job, { status: "cancelled" });
  job.settle(lines ? { kind: "failed", lines } : { kind: "cancelled" });
}

/** The migration stream broke. Before post-copy the source resumes; during it the guest is lost. */
export function finishFailed(fleet: FleetState, job: MigrationJob, desc: string): void {
  if (job.state === "postcopy") {
    const now = fleet.nowMs;
    setStatus(job.srcDom, { state: "paused", reason: "post-copy failed" }, now);
    setStatus(job.dstDom, { state: "paused", reason: "post-copy failed" }, now);
    job.srcDom.qemuMigration = { status: "failed", errorDesc: desc };
    job.state = "done";
    job.settle({ kind: "failed", lines: [ERR.failedPostcopy] });
    return;
  }
  rollBack(fleet, job, { status: "failed", errorDesc: desc });
  job.settle({ kind: "failed", lines: [ERR.failed(desc)] });
}

/** The source's libvirtd died: virsh loses it; both QEMUs stay as they are (see engine.libvirtdKilled). */
export function finishSourceDaemonLost(job: MigrationJob): void {
  job.state = "done";
  job.settle({
    kind: "failed",
    lines: [
      "Disconnected from qemu:///system due to end of file",
      "End of file while reading data: Input/output error",
    ],
  });
}

/**
 * The source's libvirtd is back: it finds its QEMU still running the guest (lab, SIGTERM and
 * SIGKILL: `running (booted)` at once) and the migration over. The destination's paused incoming
 * copy is gone by then (real libvirt dropped it 0.3 s after a SIGKILL, ~29 s after a SIGTERM).
 */
export function recoverSourceDaemon(fleet: FleetState, job: MigrationJob): void {
  const { srcDom, dst } = job;
  if (dst.domains.get(job.dstDom.name) === job.dstDom) dst.domains.delete(job.dstDom.name);
  if (job.replacedDef) dst.domains.set(job.replacedDef.name, job.replacedDef);
  if (srcDom.status.state === "paused" && srcDom.status.reason === "migrating")
    setStatus(srcDom, { state: "running", reason: "booted" }, fleet.nowMs);
  srcDom.qemuMigration = { status: "failed", errorDesc: "libvirtd restarted" };
  srcDom.tunables = { ...job.savedTunables, speedMiB: srcDom.tunables.speedMiB, caps: {} };
}

function rollBack(fleet: FleetState, job: MigrationJob, qemu: MigrationJob["srcDom"]["qemuMigration"]): void {
  const now = fleet.nowMs;
  const { srcDom, dst } = job;
  // Incoming QEMU killed; an inactive definition it had replaced comes back.
  if (dst.domains.get(job.dstDom.name) === job.dstDom) dst.domains.delete(job.dstDom.name);
  if (job.replacedDef) dst.domains.set(job.replacedDef.name, job.replacedDef);
  // A guest paused by the migration (suspend, timeout, switchover) is resumed with reason
  // "migration canceled"; one that kept running stays "running (booted)" (captures s2a, s7).
  if (
    srcDom.status.state === "paused" &&
    (srcDom.status.reason === "migrating" || srcDom.status.reason === "post-copy")
  ) {
    setStatus(srcDom, { state: "running", reason: "migration canceled" }, now);
  }
  // libvirt replaces a domain's completed-job record only when a job completes: a failed or
  // cancelled migration leaves the previous one (an earlier landing's) readable with --completed.
  srcDom.qemuMigration = qemu;
  // libvirt resets QEMU's capabilities and restores the parameters it found (s6 mapping); its
  // own cached speed (migrate-getspeed) stays.
  srcDom.tunables = { ...job.savedTunables, speedMiB: srcDom.tunables.speedMiB, caps: {} };
  job.state = "done";
}
