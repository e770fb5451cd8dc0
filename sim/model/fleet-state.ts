// The whole simulated fleet in one object: hosts, the simulated clock and the migration engine.
// Everything the SSH servers, virsh and the control API change goes through here.
import { EventEmitter } from "node:events";
import type { FleetSpec } from "../fleet-file";
import { MigrationEngine } from "../migration/engine";
import { domainFromSpec } from "./domain";
import { isActive } from "./domain-state";
import { SimHost } from "./host";

export class FleetState {
  readonly hosts: SimHost[];
  readonly engine: MigrationEngine;
  /** Simulated milliseconds since the fleet started. */
  nowMs = 0;
  /**
   * Wall-clock time each running job's statistics were served, per VM: [job elapsed ms, epoch ms].
   * A side channel for `npm run bench` (host → browser latency); virsh's output stays unchanged.
   */
  readonly jobInfoServed = new Map<string, [number, number][]>();
  /** `virsh migrate` runs per VM (a job launched twice would show here; the scale-out test reads it). */
  readonly migrateCalls = new Map<string, number>();
  timeScale: number;
  /** libvirt's domain events that `virsh event` can wait for ("job-completed", sim/virsh/cmd-event.ts). */
  readonly domainEvents = new EventEmitter().setMaxListeners(0);

  constructor(
    readonly spec: FleetSpec,
    opts: { timeScale?: number; seed?: number } = {},
  ) {
    this.seed = opts.seed ?? spec.seed;
    this.timeScale = opts.timeScale ?? spec.timeScale;
    this.hosts = spec.hosts.map((h, i) => new SimHost(h, i, this.seed));
    for (const vm of spec.vms) {
      const host = this.host(vm.host);
      if (!host) continue; // the schema guarantees it exists
      const d = domainFromSpec(vm, {
        seed: this.seed,
        cpuModel: host.spec.cpuModel,
        sharedPrefix: spec.sharedStoragePrefix,
        nowMs: 0,
        id: null,
      });
      if (isActive(d.status)) d.id = host.allocateDomainId();
      host.domains.set(d.name, d);
    }
    this.engine = new MigrationEngine(this);
  }

  readonly seed: number;

  /** Remembers when a job's statistics left the host (the latest 3600 per VM). */
  stampJobInfo(vm: string, elapsedMs: number): void {
    const list = this.jobInfoServed.get(vm) ?? [];
    list.push([elapsedMs, Date.now()]);
    if (list.length > 3600) list.shift();
    this.jobInfoServed.set(vm, list);
  }

  host(name: string): SimHost | undefined {
    return this.hosts.find((h) => h.name === name);
  }

  /** Advance simulated time (called by the ticker); the engine moves `nowMs` step by step. */
  advance(dtMs: number): void {
    this.engine.advance(dtMs);
  }

  /**
   * Real milliseconds to make a caller wait for something that takes `simMs` on a real host,
   * capped so that lock timeouts (30 s in libvirt) answer quickly in tests and demos.
   */
  realDelayMs(simMs: number, capMs = 500): number {
    return Math.max(20, Math.min(capMs, simMs / this.timeScale));
  }
}
