// The simulator's own control surface (not part of any hypervisor): inject faults, change the
// time scale and guest workloads, and read the whole fleet's state. Used programmatically by
// tests and over a loopback-only HTTP API by the demo and benchmarks.
import { z } from "zod";
import { PROFILES } from "./fleet-file";
import { workloadFor } from "./migration/workload";
import { cpuTimeNs, type GuestFault } from "./model/domain";
import type { FleetState } from "./model/fleet-state";
import type { HostServer } from "./ssh/host-server";

export const FAULT_KINDS = ["down", "link-drop", "ssh-refused", "libvirtd-restart", "libvirtd-down", "hang"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const faultInput = z
  .object({ host: z.string().min(1), kind: z.enum(FAULT_KINDS), on: z.boolean().default(true) })
  .strict();
export const timeScaleInput = z.object({ factor: z.number().positive().max(100_000) }).strict();
export const workloadInput = z
  .object({
    vm: z.string().min(1),
    profile: z.enum(PROFILES).optional(),
    dirtyRateMiBps: z.number().min(0).max(1_000_000).nullable().optional(),
  })
  .strict()
  .refine((w) => w.profile !== undefined || w.dirtyRateMiBps !== undefined, "give profile and/or dirtyRateMiBps");

export class ControlError extends Error {}

export const guestFaultInput = z.object({ vm: z.string().min(1), kind: z.enum(["panic", "hang"]).nullable() }).strict();

export const rotateKeyInput = z.object({ host: z.string().min(1) }).strict();

export class FleetControl {
  constructor(
    private readonly fleet: FleetState,
    private readonly servers: Map<string, HostServer>,
    /** Persists a new host key for the host and returns it (wired by startFleet to the key dir). */
    private readonly newHostKey: (hostName: string) => { privateKey: string; fingerprint: string } = () => {
      throw new ControlError("host keys cannot be rotated in this fleet");
    },
  ) {}

  /** Simulates a re-installed host: it presents a new SSH host key from now on. */
  rotateHostKey(hostName: string): { fingerprint: string } {
    const server = this.servers.get(hostName);
    if (!server) throw new ControlError(`unknown host '${hostName}'`);
    const key = this.newHostKey(hostName);
    server.replaceHostKey(key.privateKey);
    return { fingerprint: key.fingerprint };
  }

  /**
   * Turn a fault on or off. down: unreachable, migrations through it fail; link-drop: the
   * migration network fails (in-flight jobs fail, new ones cannot connect); ssh-refused: sshd
   * refuses, libvirt keeps running; hang: TCP accepted, no SSH banner, open connections answer
   * nothing; libvirtd-restart: an event (outgoing pre-copy jobs cancelled and their guests
   * resumed, incoming ones killed); libvirtd-down: libvirtd killed until turned off (outgoing jobs
   * end with virsh's "End of file", the destination keeps a paused copy until it is back).
   */
  async setFault(hostName: string, kind: FaultKind, on = true): Promise<void> {
    const host = this.fleet.host(hostName);
    const server = this.servers.get(hostName);
    if (!host || !server) throw new ControlError(`unknown host '${hostName}'`);
    const engine = this.fleet.engine;
    switch (kind) {
      case "down":
        host.faults.down = on;
        if (on) engine.failJobsOn(host, "Unable to write to socket: Connection reset by peer");
        break;
      case "link-drop":
        host.faults.linkDown = on;
        if (on) engine.failJobsOn(host, "Unable to write to socket: Connection timed out");
        break;
      case "ssh-refused":
        host.faults.sshRefused = on;
        break;
      case "hang":
        host.faults.hang = on;
        break;
      case "libvirtd-restart":
        if (on) engine.libvirtdRestart(host);
        break;
      case "libvirtd-down":
        host.faults.libvirtdDown = on;
        if (on) engine.libvirtdKilled(host);
        else engine.libvirtdBack(host);
        break;
    }
    await server.applyFaults();
  }

  /** A broken or hostile host: `virsh <command>` prints `text` from now on (null: the real output again). */
  setOutput(hostName: string, command: string, o: { text: string; exitCode?: number } | null): void {
    const host = this.fleet.host(hostName);
    if (!host) throw new ControlError(`unknown host '${hostName}'`);
    const outputs = { ...host.spec.outputs };
    if (o) outputs[command] = { text: o.text, repeat: 1, exitCode: o.exitCode ?? 0 };
    else delete outputs[command];
    host.spec.outputs = outputs;
  }

  setTimeScale(factor: number): void {
    timeScaleInput.parse({ factor });
    this.fleet.timeScale = factor;
  }

  /** Change a VM's guest workload (every copy of it: source and destination alike). */
  setWorkload(vm: string, w: { profile?: (typeof PROFILES)[number]; dirtyRateMiBps?: number | null }): void {
    const copies = this.fleet.hosts.flatMap((h) => {
      const d = h.domains.get(vm);
      return d ? [d] : [];
    });
    if (copies.length === 0) throw new ControlError(`unknown VM '${vm}'`);
    for (const d of copies) {
      // CPU time accrues at the old load up to now.
      d.cpuTimeNs = cpuTimeNs(d, this.fleet.nowMs);
      d.cpuSinceMs = this.fleet.nowMs;
      if (w.profile) d.profile = w.profile;
      if (w.dirtyRateMiBps !== undefined) d.dirtyRateOverrideMiBps = w.dirtyRateMiBps ?? undefined;
    }
    // The pre-copy model fixes the workload when a job starts; if it grows a setter, in-flight
    // jobs follow too. Otherwise the change applies to dirty-rate measurements and later jobs.
    for (const j of this.fleet.engine.active()) {
      const p = j.physics as unknown as { setWorkload?: (w: ReturnType<typeof workloadFor>) => void };
      if (j.srcDom.name === vm && typeof p.setWorkload === "function") p.setWorkload(workloadFor(j.srcDom));
    }
  }

  /**
   * Arms a guest fault for the VM's next landing (null disarms): "panic" leaves it `crashed
   * (panicked)` on the destination, "hang" leaves it running with frozen vCPU time.
   */
  setGuestFault(vm: string, kind: GuestFault | null): void {
    const copies = this.fleet.hosts.flatMap((h) => {
      const d = h.domains.get(vm);
      return d ? [d] : [];
    });
    if (copies.length === 0) throw new ControlError(`unknown VM '${vm}'`);
    for (const d of copies) d.guestFault = kind ?? undefined;
  }

  /** Test and bench figures: SSH connections per host, migrate runs per VM, when each job sample was served. */
  stats() {
    return {
      ssh: Object.fromEntries([...this.servers].map(([name, s]) => [name, { ...s.sessions }])),
      migrateCalls: Object.fromEntries(this.fleet.migrateCalls),
      jobInfoServed: Object.fromEntries(this.fleet.jobInfoServed),
    };
  }

  state() {
    const f = this.fleet;
    return {
      nowMs: Math.round(f.nowMs),
      timeScale: f.timeScale,
      hosts: f.hosts.map((h) => ({
        name: h.name,
        address: "127.0.0.1",
        port: h.port,
        uuid: h.uuid,
        cpuModel: h.spec.cpuModel,
        cores: h.spec.cores,
        memoryGiB: h.spec.memoryGiB,
        nicGbps: h.spec.nicGbps,
        faults: { ...h.faults },
        freeMiB: Math.floor(h.freeKiB() / 1024),
        vcpusInUse: h.vcpusInUse(),
        domains: [...h.domains.values()].map((d) => ({
          name: d.name,
          uuid: d.uuid,
          id: d.id,
          state: d.status.state,
          reason: d.status.reason,
          persistent: d.persistent,
          vcpus: d.vcpus,
          memoryKiB: d.memoryKiB,
          profile: d.profile,
          dirtyRateMiBps: d.dirtyRateOverrideMiBps ?? null,
        })),
      })),
      migrations: f.engine.active().map((j) => {
        const s = j.physics.jobStats();
        return {
          id: j.id,
          vm: j.srcDom.name,
          source: j.src.name,
          destination: j.dst.name,
          state: j.state,
          phase: j.physics.phase,
          p2p: j.flags.p2p,
          elapsedMs: Math.round(j.physics.elapsedMs),
          iteration: s.memory_iteration ?? 0,
          remainingBytes: s.memory_remaining ?? 0,
          bandwidthBps: s.memory_bps ?? 0,
          throttlePercent: j.physics.throttlePercent,
          guestPaused: j.physics.guestPaused,
        };
      }),
    };
  }
}
