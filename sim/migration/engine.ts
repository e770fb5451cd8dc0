// Runs every in-flight migration of the fleet: starts them (after libvirt's checks), shares the
// NICs among them on each tick, advances the physics model and turns its events into the
// domain state changes both libvirtds would make.
import { setStatus, startProcess, type Domain, UNLIMITED_SPEED_MIB } from "../model/domain";
import { derivedSeed } from "../model/ids";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import { shareBandwidth } from "../physics/bandwidth";
import { PrecopyMigration } from "../physics/precopy";
import type { MigrationEvent } from "../physics/types";
import { ERR, VirshError } from "../virsh/errors";
import {
  finishCancelled,
  finishCompleted,
  finishFailed,
  finishSourceDaemonLost,
  recoverSourceDaemon,
} from "./finalize";
import type { MigrateFlags, MigrationJob, MigrationOutcome } from "./job";
import { checkCapacity, preflight } from "./preflight";
import { workloadFor } from "./workload";

const MiB = 1024 * 1024;
/** TCP/IP framing leaves ~94 % of the line rate for the migration stream. */
const NIC_EFFICIENCY = 0.94;
/** One QEMU migration thread tops out around 2.5 GB/s (it is CPU-bound); multifd adds streams. */
const STREAM_CAP_BPS = 2.5e9;
/** Largest simulated step the physics gets at once, so bandwidth is re-shared often enough. */
const MAX_STEP_MS = 250;
const MAX_STEPS_PER_TICK = 200;
const LIBVIRT_JOB_CAPS: Record<string, boolean> = {
  xbzrle: false,
  "rdma-pin-all": false,
  compress: false,
  "pause-before-switchover": true,
  "late-block-activate": false,
  multifd: false,
  "dirty-bitmaps": false,
  "return-path": true,
  "zero-copy-send": false,
};

export class MigrationEngine {
  private readonly jobs = new Map<number, MigrationJob>();
  /** Jobs whose source libvirtd was killed: cleaned up on both hosts when it is back. */
  private orphans: MigrationJob[] = [];
  private nextId = 1;

  constructor(private readonly fleet: FleetState) {}

  /** Outgoing job of domain `name` on `host`. */
  jobFor(host: SimHost, name: string): MigrationJob | undefined {
    for (const j of this.jobs.values()) if (j.src === host && j.srcDom.name === name) return j;
    return undefined;
  }

  /** Incoming job of domain `name` on `host`. */
  incomingFor(host: SimHost, name: string): MigrationJob | undefined {
    for (const j of this.jobs.values()) if (j.dst === host && j.dstDom.name === name) return j;
    return undefined;
  }

  active(): MigrationJob[] {
    return [...this.jobs.values()];
  }

  async start(
    src: SimHost,
    dom: Domain,
    destUri: string,
    flags: MigrateFlags,
    signal: AbortSignal,
  ): Promise<MigrationJob> {
    this.fleet.migrateCalls.set(dom.name, (this.fleet.migrateCalls.get(dom.name) ?? 0) + 1);
    const { dst, replacedDef } = await preflight(this.fleet, src, dom, destUri, flags, signal);
    // Re-check after any wait: another migration may have started meanwhile. From here on
    // nothing awaits, so the capacity check and the reservation are atomic.
    if (this.jobFor(src, dom.name)) throw new VirshError(ERR.lockTimeout());
    if (dst.domains.get(dom.name) && dst.domains.get(dom.name) !== replacedDef) {
      throw new VirshError(`Requested operation is not valid: domain '${dom.name}' is already active`);
    }
    checkCapacity(dst, dom);
    const now = this.fleet.nowMs;
    const dstDom: Domain = { ...structuredClone(dom), persistent: replacedDef !== undefined, completed: undefined };
    startProcess(dstDom, dst.allocateDomainId(), now);
    setStatus(dstDom, { state: "paused", reason: "migrating" }, now);
    dst.domains.set(dstDom.name, dstDom);

    const t = dom.tunables;
    const savedTunables = structuredClone(t);
    const speedMiB = flags.bandwidthMiB ?? t.speedMiB;
    if (flags.bandwidthMiB !== undefined) t.speedMiB = flags.bandwidthMiB;
    const diskBytes =
      flags.copyStorageAll || flags.copyStorageInc
        ? dom.disks
            .filter((d) => !d.shared && !d.readonly && (!flags.migrateDisks || flags.migrateDisks.includes(d.target)))
            .reduce((a, d) => a + d.sizeBytes, 0)
        : 0;
    const id = this.nextId++;
    const physics = new PrecopyMigration({
      memoryBytes: dom.memoryKiB * 1024,
      workload: workloadFor(dom),
      params: {
        maxBandwidthBps: speedMiB >= UNLIMITED_SPEED_MIB ? Number.POSITIVE_INFINITY : speedMiB * MiB,
        downtimeLimitMs: t.maxDowntimeMs,
        autoConverge: flags.autoConverge,
        cpuThrottleInitial: flags.autoConvergeInitial ?? t.throttleInitial,
        cpuThrottleIncrement: flags.autoConvergeIncrement ?? t.throttleIncrement,
        maxCpuThrottle: t.maxThrottle,
        throttleTriggerThreshold: t.triggerThreshold,
        postcopy: flags.postcopy,
        postcopyAfterPrecopy: flags.postcopyAfterPrecopy,
        postcopyBandwidthBps: flags.postcopyBandwidthMiB ? flags.postcopyBandwidthMiB * MiB : Number.POSITIVE_INFINITY,
        ...(flags.timeout ? { timeout: flags.timeout } : {}),
      },
      diskBytesToCopy: diskBytes,
      seed: derivedSeed(this.fleet.seed, "migration", String(id), dom.name),
    });
    if (flags.autoConvergeInitial !== undefined) t.throttleInitial = flags.autoConvergeInitial;
    if (flags.autoConvergeIncrement !== undefined) t.throttleIncrement = flags.autoConvergeIncrement;
    // libvirt sets every capability explicitly at the start (s6-virsh-to-qmp-mapping.txt), so
    // anything set by hand through the monitor before is overwritten.
    t.caps = { ...LIBVIRT_JOB_CAPS, "auto-converge": flags.autoConverge, "postcopy-ram": flags.postcopy };

    let settle!: (o: MigrationOutcome) => void;
    const outcome = new Promise<MigrationOutcome>((r) => {
      settle = r;
    });
    const job: MigrationJob = {
      id,
      src,
      dst,
      srcDom: dom,
      dstDom,
      replacedDef,
      flags,
      physics,
      state: "running",
      outcome,
      settle,
      savedTunables,
      postcopyFromBytes: undefined,
    };
    this.jobs.set(id, job);
    outcome.then(() => this.jobs.delete(id));
    // A paused guest (suspended before, or a non-live migration) dirties nothing.
    if (dom.status.state === "paused" || !flags.live) {
      physics.pauseGuest();
      setStatus(dom, { state: "paused", reason: "migrating" }, now);
    }
    return job;
  }

  /** Move simulated time forward by `dtMs`, in steps, re-sharing bandwidth at each step. */
  advance(dtMs: number): void {
    let left = dtMs;
    const stepMs = Math.max(MAX_STEP_MS, dtMs / MAX_STEPS_PER_TICK);
    while (left > 0) {
      const dt = Math.min(stepMs, left);
      this.step(dt);
      left -= dt;
      this.fleet.nowMs += dt;
    }
  }

  private step(dt: number): void {
    const running = [...this.jobs.values()].filter((j) => j.state !== "done");
    if (running.length === 0) return;
    const nic: Record<string, number> = {};
    for (const h of this.fleet.hosts) nic[h.name] = (h.spec.nicGbps * 1e9 * NIC_EFFICIENCY) / 8;
    const flows = running.map((j) => ({
      id: String(j.id),
      src: j.src.name,
      dst: j.dst.name,
      demandBps: Math.min(j.physics.demandBps(), STREAM_CAP_BPS * (j.flags.parallelConnections ?? 1)),
    }));
    const shares = shareBandwidth(flows, nic);
    for (const j of running) {
      const bw = shares.get(String(j.id)) ?? 0;
      const events = j.physics.advance(dt, Number.isFinite(bw) ? bw : STREAM_CAP_BPS);
      for (const ev of events) this.onEvent(j, ev);
    }
  }

  private onEvent(job: MigrationJob, ev: MigrationEvent): void {
    if (job.state === "done") return;
    const now = this.fleet.nowMs;
    switch (ev.type) {
      case "switchover":
      case "guest-paused":
        if (job.srcDom.status.state === "running") setStatus(job.srcDom, { state: "paused", reason: "migrating" }, now);
        break;
      case "postcopy-started":
        job.state = "postcopy";
        job.postcopyFromBytes = job.physics.jobStats().memory_processed ?? 0;
        setStatus(job.srcDom, { state: "paused", reason: "post-copy" }, now);
        setStatus(job.dstDom, { state: "running", reason: "post-copy" }, now);
        break;
      case "completed":
        finishCompleted(this.fleet, job);
        break;
      case "cancelled":
        finishCancelled(this.fleet, job);
        break;
      case "failed":
        finishFailed(this.fleet, job, ev.reason);
        break;
      default:
        break;
    }
  }

  /** `virsh suspend` on the source during the job: the guest stops dirtying memory. */
  suspendSource(job: MigrationJob): void {
    job.physics.pauseGuest();
    setStatus(
      job.srcDom,
      { state: "paused", reason: job.state === "postcopy" ? "post-copy" : "migrating" },
      this.fleet.nowMs,
    );
  }

  /** `virsh domjobabort`; throws the libvirt error in post-copy. */
  abort(job: MigrationJob): void {
    if (job.state === "postcopy") throw new VirshError(ERR.abortPostcopy);
    if (job.state === "done") throw new VirshError(ERR.noJob);
    try {
      job.physics.abort();
    } catch (e) {
      // The model may already be switching to post-copy (event not delivered yet).
      throw new VirshError(`Requested operation is not valid: ${e instanceof Error ? e.message : String(e)}`);
    }
    finishCancelled(this.fleet, job);
  }

  /** The virsh client driving a non-p2p migration went away: libvirt cancels the job (real libvirt does the same). */
  clientGone(job: MigrationJob): void {
    if (job.state !== "running") return;
    try {
      job.physics.abort();
    } catch {
      return;
    }
    finishCancelled(this.fleet, job);
  }

  /** The migration connection broke (host down, link drop, destination libvirtd restart). */
  fail(job: MigrationJob, desc: string): void {
    if (job.state === "done") return;
    job.physics.fail(desc);
    finishFailed(this.fleet, job, desc);
  }

  /** Fail every job that crosses `host`. */
  failJobsOn(host: SimHost, desc: string): number {
    let n = 0;
    for (const j of [...this.jobs.values()]) {
      if (j.state !== "done" && (j.src === host || j.dst === host)) {
        this.fail(j, desc);
        n++;
      }
    }
    return n;
  }

  /**
   * libvirtd is killed on `host` (and stays down). Real lab, libvirt 9.0: the p2p virsh client
   * fails at once with "End of file while reading data"; the source QEMU keeps running the guest;
   * the destination held its paused incoming copy for up to 29 s (SIGTERM) — here until the
   * source's libvirtd is back, so a reader sees both "cannot ask" and "paused there". Incoming
   * jobs lose their destination: the source fails them and resumes its guest.
   */
  libvirtdKilled(host: SimHost): void {
    for (const j of [...this.jobs.values()]) {
      if (j.state === "done") continue;
      if (j.src === host && j.state === "running") {
        try {
          j.physics.abort();
        } catch {
          continue;
        }
        finishSourceDaemonLost(j);
        this.orphans.push(j);
      } else if (j.dst === host) {
        this.fail(j, "Unable to write to socket: Connection reset by peer");
      }
    }
  }

  /** libvirtd on `host` starts again: completed-job records are gone, orphaned jobs cleaned up. */
  libvirtdBack(host: SimHost): void {
    for (const j of this.orphans.filter((o) => o.src === host)) recoverSourceDaemon(this.fleet, j);
    this.orphans = this.orphans.filter((o) => o.src !== host);
    for (const d of host.domains.values()) d.completed = undefined;
  }

  /**
   * libvirtd restarts on `host`: outgoing pre-copy jobs are cancelled and their guests resumed
   * (qemuProcessRecoverMigrationOut), incoming ones are killed, and completed-job stats are lost.
   */
  libvirtdRestart(host: SimHost): void {
    for (const j of [...this.jobs.values()]) {
      if (j.state === "done") continue;
      if (j.src === host && j.state === "running") {
        try {
          j.physics.abort();
        } catch {
          continue;
        }
        finishCancelled(this.fleet, j, [
          "Disconnected from qemu:///system due to end of file",
          "End of file while reading data: Input/output error",
        ]);
      } else if (j.dst === host) {
        this.fail(j, "Unable to write to socket: Connection reset by peer");
      }
    }
    for (const d of host.domains.values()) d.completed = undefined;
  }
}
