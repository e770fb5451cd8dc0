// Test support for the evacuation planner (its tests, and the bench's rule check): a seeded random
// fleet generator and an independent checker that walks a plan's timeline and reports every
// violated rule (capacity at any instant, limits, anti-affinity, pre-checks, accounting).
import {
  type InFlight,
  type Plan,
  type PlanInput,
  type PlannerHost,
  type PlannerVm,
  stillToArrive,
} from "@/lib/planner/evacuate-types";
import { runPrechecks, VCPU_OVERCOMMIT } from "@/lib/planner/prechecks";

export const GiB = 1024 ** 3;
export const MiB = 1024 ** 2;
export const NIC_10G = (10e9 * 0.94) / 8;
export const NIC_25G = (25e9 * 0.94) / 8;

/** mulberry32: a tiny seeded PRNG so property tests replay exactly. */
export function rng(seed: number): {
  next: () => number;
  int: (lo: number, hi: number) => number;
  pick: <T>(xs: readonly T[]) => T;
} {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (xs) => xs[Math.floor(next() * xs.length)] as (typeof xs)[number] };
}

export function host(id: string, over: Partial<PlannerHost> = {}): PlannerHost {
  return {
    id,
    name: id,
    cpuModel: "Cascadelake-Server",
    cores: 32,
    memoryFreeBytes: 128 * GiB,
    vcpusInUse: 0,
    nicBps: NIC_10G,
    libvirtVersion: "9.0.0",
    state: "active",
    ...over,
  };
}

/** Workload shapes like the sim's profiles (D, W, first-pass bytes). */
export const KINDS = {
  idle: (mem: number) => ({
    dirtyRateBps: 2 * MiB,
    workingSetBytes: 64 * MiB,
    transferBytes: Math.min(mem, 576 * MiB),
  }),
  web: (mem: number) => ({
    dirtyRateBps: 40 * MiB,
    workingSetBytes: 384 * MiB,
    transferBytes: Math.min(mem, 1920 * MiB),
  }),
  database: (mem: number) => ({
    dirtyRateBps: 250 * MiB,
    workingSetBytes: Math.min(4 * GiB, mem / 2),
    transferBytes: Math.min(mem, 0.6 * mem + Math.min(4 * GiB, mem / 2)),
  }),
  stress: (mem: number) => ({
    dirtyRateBps: 2.5 * GiB,
    workingSetBytes: 2 * GiB,
    transferBytes: Math.min(mem, 3.5 * GiB),
  }),
} as const;

export function vm(
  id: string,
  hostId: string,
  over: Partial<PlannerVm> & { kind?: keyof typeof KINDS } = {},
): PlannerVm {
  const { kind = "idle", ...rest } = over;
  const memoryBytes = rest.memoryBytes ?? 4 * GiB;
  return { id, uuid: `uuid-${id}`, name: id, hostId, vcpus: 2, memoryBytes, ...KINDS[kind](memoryBytes), ...rest };
}

export function baseInput(hosts: PlannerHost[], vms: PlannerVm[], over: Partial<PlanInput> = {}): PlanInput {
  return {
    hosts,
    vms,
    inflight: [],
    maxOutboundPerSource: 2,
    maxInboundPerDest: 2,
    maxDowntimeMs: 300,
    autoConvergeWhenNeeded: true,
    fixedOverheadMs: 1500,
    ...over,
  };
}

const MODELS = ["Skylake-Server", "Cascadelake-Server", "Icelake-Server", "EPYC-Rome", "EPYC-Milan"] as const;

/** A random fleet with tight spots: small hosts, mixed CPUs and versions, in-flight moves, groups. */
export function randomFleet(seed: number): PlanInput {
  const r = rng(seed);
  const nHosts = r.int(4, 14);
  const nDrain = r.int(1, Math.min(3, nHosts - 1));
  const hosts: PlannerHost[] = Array.from({ length: nHosts }, (_, i) =>
    host(`h${i}`, {
      cpuModel: i < nDrain ? r.pick(MODELS.slice(0, 3)) : r.pick(MODELS),
      cores: r.pick([4, 8, 16, 32, 64]),
      memoryFreeBytes: r.int(2, 96) * GiB,
      vcpusInUse: r.int(0, 60),
      nicBps: r.pick([NIC_10G, NIC_25G]),
      libvirtVersion: r.pick(["8.0.0", "9.0.0", "9.0.0"]),
      state: i < nDrain ? "draining" : r.next() < 0.1 ? "excluded" : "active",
      antiAffinityGroups: r.next() < 0.3 ? [`g${r.int(0, 4)}`] : [],
    }),
  );
  const vms: PlannerVm[] = Array.from({ length: r.int(3, 30) }, (_, i) =>
    vm(`v${i}`, `h${r.int(0, nDrain - 1)}`, {
      kind: r.pick(["idle", "idle", "web", "web", "database", "stress"] as const),
      memoryBytes: r.pick([1, 2, 4, 8, 16, 32]) * GiB,
      vcpus: r.pick([1, 2, 4, 8, 24]),
      antiAffinityGroup: r.next() < 0.3 ? `g${r.int(0, 4)}` : null,
      ...(r.next() < 0.15 ? { copyStorageBytes: r.int(1, 20) * GiB } : {}),
    }),
  );
  const active = hosts.filter((h) => h.state === "active");
  const inflight: InFlight[] = [];
  for (let i = r.int(0, 3); i > 0 && active.length > 0; i--) {
    inflight.push({
      sourceHostId: r.pick(hosts).id,
      destHostId: r.pick(active).id,
      memoryBytes: r.int(1, 16) * GiB,
      vcpus: r.int(1, 8),
      remainingMs: r.int(0, 60_000),
      antiAffinityGroup: r.next() < 0.3 ? `g${r.int(0, 4)}` : null,
    });
  }
  return baseInput(hosts, vms, {
    inflight,
    maxOutboundPerSource: r.int(1, 3),
    maxInboundPerDest: r.int(1, 3),
    autoConvergeWhenNeeded: r.next() < 0.7,
    fixedOverheadMs: r.pick([0, 30, 1500]),
    ...(r.next() < 0.5 ? { perStreamCapBps: 2.5e9 } : {}),
  });
}

/** Every rule the plan breaks, walking its timeline instant by instant; empty = valid. */
export function checkPlan(input: PlanInput, plan: Plan): string[] {
  const bad: string[] = [];
  const hosts = new Map(input.hosts.map((h) => [h.id, h]));
  const vms = new Map(input.vms.map((v) => [v.id, v]));
  const seen = new Map<string, number>();
  for (const id of [...plan.moves.map((m) => m.vmId), ...plan.unplaced.map((u) => u.vmId)])
    seen.set(id, (seen.get(id) ?? 0) + 1);
  for (const v of input.vms)
    if (seen.get(v.id) !== 1) bad.push(`${v.id} appears ${seen.get(v.id) ?? 0} times in moves + unplaced`);
  for (const u of plan.unplaced) if (!u.reason) bad.push(`${u.vmId} unplaced without a reason`);
  for (const f of plan.flagged)
    if (!plan.unplaced.some((u) => u.vmId === f.vmId)) bad.push(`${f.vmId} flagged but scheduled`);
  for (const m of plan.moves) {
    const v = vms.get(m.vmId);
    const src = hosts.get(m.sourceHostId);
    const dst = hosts.get(m.destHostId);
    if (!v || !src || !dst) {
      bad.push(`${m.vmId}: unknown VM or host`);
      continue;
    }
    if (!(Number.isFinite(m.startMs) && m.endMs >= m.startMs && Number.isFinite(m.endMs)))
      bad.push(`${m.vmId}: bad times ${m.startMs}–${m.endMs}`);
    const pre = runPrechecks({
      vm: { ...v, disks: [] },
      liveState: "running",
      source: { ...src, status: src.state },
      dest: { ...dst, status: dst.state },
      load: { reachable: true, reservedBytes: 0, reservedVcpus: 0, vcpusInUse: dst.vcpusInUse },
      alreadyMigrating: false,
    });
    for (const c of pre.checks)
      if (!c.ok && c.id !== "memory" && c.id !== "vcpu-room")
        bad.push(`${m.vmId} → ${dst.id}: ${c.label} (${c.detail})`);
  }
  const instants = [
    ...new Set([0, ...plan.moves.flatMap((m) => [m.startMs, m.endMs]), ...input.inflight.map((f) => f.remainingMs)]),
  ].sort((a, b) => a - b);
  for (const t of instants) {
    for (const h of input.hosts) {
      const inF = input.inflight.filter((f) => f.destHostId === h.id);
      const inM = plan.moves.filter((m) => m.destHostId === h.id && m.startMs <= t);
      const outM = plan.moves.filter((m) => m.sourceHostId === h.id && m.endMs <= t).map((m) => vms.get(m.vmId));
      const bytes =
        inF.reduce((s, f) => s + stillToArrive(f), 0) +
        inM.map((m) => vms.get(m.vmId)).reduce((s, x) => s + (x?.memoryBytes ?? 0), 0) -
        outM.reduce((s, x) => s + (x?.memoryBytes ?? 0), 0);
      const cpus =
        [...inF, ...inM.map((m) => vms.get(m.vmId))].reduce((s, x) => s + (x?.vcpus ?? 0), 0) -
        outM.reduce((s, x) => s + (x?.vcpus ?? 0), 0);
      if (inM.length > 0 && bytes > h.memoryFreeBytes)
        bad.push(`t=${t}: ${h.id} holds ${bytes} B of reservations, ${h.memoryFreeBytes} free`);
      if (inM.length > 0 && cpus > h.cores * VCPU_OVERCOMMIT - h.vcpusInUse)
        bad.push(`t=${t}: ${h.id} vCPUs over (${cpus})`);
      const live = (m: { startMs: number; endMs: number }) => m.startMs <= t && t < m.endMs;
      const out =
        plan.moves.filter((m) => m.sourceHostId === h.id && live(m)).length +
        input.inflight.filter((f) => f.sourceHostId === h.id && t < f.remainingMs).length;
      const inn =
        plan.moves.filter((m) => m.destHostId === h.id && live(m)).length +
        input.inflight.filter((f) => f.destHostId === h.id && t < f.remainingMs).length;
      if (out > input.maxOutboundPerSource && plan.moves.some((m) => m.sourceHostId === h.id && m.startMs === t))
        bad.push(`t=${t}: ${out} outbound from ${h.id}`);
      if (inn > input.maxInboundPerDest && plan.moves.some((m) => m.destHostId === h.id && m.startMs === t))
        bad.push(`t=${t}: ${inn} inbound to ${h.id}`);
    }
  }
  for (const h of input.hosts) {
    const groups = [
      ...(h.antiAffinityGroups ?? []),
      ...input.inflight
        .filter((f) => f.destHostId === h.id)
        .flatMap((f) => (f.antiAffinityGroup ? [f.antiAffinityGroup] : [])),
    ];
    for (const m of plan.moves.filter((x) => x.destHostId === h.id)) {
      const g = vms.get(m.vmId)?.antiAffinityGroup;
      if (g && groups.includes(g)) bad.push(`${m.vmId}: anti-affinity group ${g} already on ${h.id}`);
      if (g) groups.push(g);
    }
  }
  return bad;
}

/**
 * A small fleet where packing and anti-affinity bind: one or two sources, one fast host short of
 * RAM, slower hosts of mixed size, dirty guests in anti-affinity groups on one source, local disks.
 */
export function tightFleet(seed: number): PlanInput {
  const r = rng(seed);
  const nSrc = r.int(1, 2);
  const hosts: PlannerHost[] = [
    ...Array.from({ length: nSrc }, (_, i) =>
      host(`s${i}`, { state: "draining", nicBps: r.pick([NIC_10G, NIC_25G]), cores: 64 }),
    ),
    host("fast", { nicBps: NIC_25G, memoryFreeBytes: r.int(8, 48) * GiB, cores: 64 }),
    ...Array.from({ length: r.int(1, 5) }, (_, i) =>
      host(`d${i}`, {
        nicBps: r.next() < 0.2 ? NIC_25G : NIC_10G,
        memoryFreeBytes: r.int(6, 128) * GiB,
        cores: 64,
        antiAffinityGroups: r.next() < 0.3 ? [`g${r.int(0, 2)}`] : [],
      }),
    ),
  ];
  const vms: PlannerVm[] = Array.from({ length: r.int(2, 16) }, (_, i) =>
    vm(`v${i}`, `s${r.int(0, nSrc - 1)}`, {
      kind: r.pick(["idle", "web", "web", "database", "stress"] as const),
      memoryBytes: r.pick([2, 4, 8, 16]) * GiB,
      vcpus: r.pick([1, 2, 4]),
      antiAffinityGroup: r.next() < 0.4 ? `g${r.int(0, 2)}` : null,
      ...(r.next() < 0.25 ? { copyStorageBytes: r.int(2, 12) * GiB } : {}),
    }),
  );
  return baseInput(hosts, vms, {
    maxOutboundPerSource: r.int(1, 4),
    maxInboundPerDest: r.int(1, 3),
    fixedOverheadMs: r.pick([0, 300, 1500]),
    ...(r.next() < 0.7 ? { perStreamCapBps: 2.5e9 } : {}),
  });
}
