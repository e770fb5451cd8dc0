// Large generated fleets for the planner's time ladder (issue 17): n VMs on n/2 hosts, n/20 of them
// drained, mixed CPU classes and NICs, anti-affinity groups of 2–4. Planner input only (no sim):
// this measures planning time. Seeds no test uses.
import type { PlanInput, PlannerHost, PlannerVm } from "@/lib/planner/evacuate";
import { createRng } from "@/sim/physics/rng";

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const NIC = { 10: (10e9 * 0.94) / 8, 25: (25e9 * 0.94) / 8 } as const;
const CPUS = ["Cascadelake-Server", "Icelake-Server", "EPYC-Milan"] as const;

export function scaleFleet(nVms: number, seed = 1701): PlanInput {
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T;
  const nHosts = Math.max(4, Math.round(nVms / 2));
  const nDrain = Math.max(1, Math.round(nVms / 20));
  const hosts: PlannerHost[] = Array.from({ length: nHosts }, (_, i) => ({
    id: `h${String(i).padStart(5, "0")}`,
    name: `h${String(i).padStart(5, "0")}`,
    cpuModel: CPUS[i % CPUS.length] as string,
    cores: pick([32, 48, 64]),
    memoryFreeBytes: pick([64, 96, 128, 192]) * GiB,
    vcpusInUse: Math.floor(rng.next() * 40),
    nicBps: rng.next() < 0.6 ? NIC[25] : NIC[10],
    libvirtVersion: "9.0.0",
    state: i < nDrain ? "draining" : "active",
    antiAffinityGroups: [],
  }));
  const vms: PlannerVm[] = Array.from({ length: nVms }, (_, i) => {
    const kind = rng.next();
    const mem = pick([2, 4, 8, 16]) * GiB;
    const dirty = kind < 0.5 ? 2 * MiB : kind < 0.85 ? 40 * MiB : 250 * MiB;
    return {
      id: `v${String(i).padStart(5, "0")}`,
      uuid: `u${i}`,
      name: `v${String(i).padStart(5, "0")}`,
      hostId: `h${String(i % nDrain).padStart(5, "0")}`,
      vcpus: pick([1, 2, 4, 8]),
      memoryBytes: mem,
      dirtyRateBps: dirty,
      workingSetBytes: Math.min(mem / 2, dirty * 2),
      transferBytes: Math.round(mem * (kind < 0.5 ? 0.15 : 0.6)),
      antiAffinityGroup: rng.next() < 0.2 ? `g${Math.floor(i / pick([2, 3, 4]))}` : null,
    };
  });
  return {
    hosts,
    vms,
    inflight: [],
    maxOutboundPerSource: 2,
    maxInboundPerDest: 2,
    maxDowntimeMs: 300,
    perStreamCapBps: 2.5e9,
    autoConvergeWhenNeeded: true,
    fixedOverheadMs: 1500,
  };
}
