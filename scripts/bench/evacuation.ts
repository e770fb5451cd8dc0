// Issue 5 benchmark: plan a drain with Convoy's planner and with the two baselines, then EXECUTE
// each plan on the simulator's in-process fleet (sim/model FleetState + sim/migration engine: its
// physics, fair NIC sharing and capacity rule — the destination QEMU takes the guest's RAM at the
// start, or the migration fails) and measure what really happens. No SSH: this measures the
// planner, not the transport. Fleets are generated in code from a seed, except the reported
// pile-up case, which is sim/fleets/pileup.yaml.
import { fileURLToPath } from "node:url";
import { mostFreeRamAllAtOnce, serialOneAtATime } from "@/lib/planner/baselines";
import { type Plan, type PlanInput, type PlannerHost, type PlannerVm, planEvacuation } from "@/lib/planner/evacuate";
import { movePrerequisites, readyToStart } from "@/lib/planner/evacuate-deps";
import { evacuationLowerBound, resendAwareLowerBound } from "@/lib/planner/lower-bound";
import { plannedSwitch } from "@/lib/evacuation/planned-switch";
import { type FleetInput, type FleetSpec, loadFleetFile, parseFleet } from "@/sim/fleet-file";
import { FleetState } from "@/sim/model/fleet-state";
import type { MigrateFlags, MigrationJob } from "@/sim/migration/job";
import { workloadFor } from "@/sim/migration/workload";
import { DEFAULT_PARAMS } from "@/sim/physics/precopy";
import { createRng } from "@/sim/physics/rng";

const GiB = 1024 ** 3;
/** The sim's NIC model (sim/migration/engine.ts): 94 % of line rate usable, 2.5 GB/s per stream. */
const NIC_EFFICIENCY = 0.94;
const STREAM_CAP_BPS = 2.5e9;
/** KubeVirt's give-up limit (migration-physics B.5): 150 s per GiB of guest RAM. */
const GIVE_UP_MS_PER_GIB = 150_000;

export type Bench = {
  title: string;
  spec: FleetSpec;
  drain: string[];
  groups: Map<string, string>;
  maxOutbound?: number;
  /** Migrations already running when the plan is made (VM name → destination host). */
  inflight?: { vm: string; dest: string }[];
  /** What the window's policy allows beyond auto-converge (issue 17); none by default. */
  strategies?: PlanInput["strategies"];
  /** Guests' dirty rates set at run time (the sim's control API), MiB/s by VM name. */
  dirtyMiBps?: Map<string, number>;
};

/** The sim's fleet for a bench, with its run-time dirty-rate overrides applied. */
function fleetOf(spec: FleetSpec, dirty?: Map<string, number>): FleetState {
  const fleet = new FleetState(spec);
  for (const [vm, mibps] of dirty ?? []) {
    const d = fleet.hosts.find((h) => h.domains.has(vm))?.domains.get(vm);
    if (d) d.dirtyRateOverrideMiBps = mibps;
  }
  return fleet;
}

// ---- fleets -------------------------------------------------------------------------------

export type HostKind = {
  cpuModel: FleetInput["hosts"][number]["cpuModel"];
  cores: number;
  memoryGiB: number;
  nicGbps: number;
};
const PROFILES = [
  { profile: "idle", weight: 0.45, ram: [2, 4, 8], vcpus: [1, 2] },
  { profile: "web", weight: 0.35, ram: [4, 8, 16], vcpus: [2, 4] },
  { profile: "database", weight: 0.2, ram: [8, 16, 32], vcpus: [4, 8] },
] as const;

/** Seeded fleet: VMs spread at random over hosts filled to at most 75 %, db VMs in anti-affinity pairs. */
export function generate(
  title: string,
  seed: number,
  kinds: HostKind[],
  nVms: number,
  drain: number[],
  onFirstHost = 0,
): Bench {
  const rng = createRng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng.next() * xs.length)] as T;
  const hosts = kinds.map((k, i) => ({ name: `hv${String(i + 1).padStart(2, "0")}`, ...k }));
  const used = hosts.map(() => 0);
  const vms: FleetInput["vms"] = [];
  const groups = new Map<string, string>();
  for (let i = 0; vms.length < nVms && i < nVms * 20; i++) {
    const r = rng.next();
    const p = PROFILES.find((_, j) => r < PROFILES.slice(0, j + 1).reduce((a, x) => a + x.weight, 0)) ?? PROFILES[0];
    const ramGiB = pick(p.ram);
    // The first `onFirstHost` VMs all go to host 0 (a densely packed host to drain), the rest elsewhere.
    const h =
      vms.length < onFirstHost
        ? 0
        : onFirstHost
          ? 1 + Math.floor(rng.next() * (hosts.length - 1))
          : Math.floor(rng.next() * hosts.length);
    const host = hosts[h];
    if (!host || used[h]! + ramGiB > host.memoryGiB * 0.75) continue;
    used[h]! += ramGiB;
    const name = `${p.profile.slice(0, 3)}-${String(vms.length + 1).padStart(3, "0")}`;
    if (p.profile === "database")
      groups.set(name, `db-pair-${Math.floor(vms.filter((v) => v.profile === "database").length / 2)}`);
    const local = rng.next() < 0.1;
    vms.push({
      name,
      host: host.name,
      vcpus: pick(p.vcpus),
      memoryMiB: ramGiB * 1024,
      profile: p.profile,
      disks: [{ target: "vda", sizeGiB: local ? 10 : 40, storage: local ? "local" : "shared" }],
    });
  }
  return { title, spec: parseFleet({ seed, hosts, vms }), drain: drain.map((i) => hosts[i]?.name ?? ""), groups };
}

function fleets(): Bench[] {
  const f1: HostKind[] = [
    ...Array.from({ length: 3 }, () => ({
      cpuModel: "Cascadelake-Server" as const,
      cores: 32,
      memoryGiB: 96,
      nicGbps: 10,
    })),
    ...Array.from({ length: 3 }, () => ({
      cpuModel: "Icelake-Server" as const,
      cores: 48,
      memoryGiB: 128,
      nicGbps: 10,
    })),
    { cpuModel: "EPYC-Milan", cores: 64, memoryGiB: 128, nicGbps: 10 },
    { cpuModel: "Cascadelake-Server", cores: 16, memoryGiB: 64, nicGbps: 10 },
  ];
  const f2: HostKind[] = Array.from({ length: 50 }, (_, i) =>
    i < 20
      ? { cpuModel: "Cascadelake-Server" as const, cores: 48, memoryGiB: 128, nicGbps: 25 }
      : i < 44
        ? { cpuModel: "Icelake-Server" as const, cores: 64, memoryGiB: 192, nicGbps: 25 }
        : { cpuModel: "EPYC-Milan" as const, cores: 64, memoryGiB: 192, nicGbps: 25 },
  );
  // A dense source: 40 VMs on a 768 GiB host, eight hosts in all, on 10 GbE.
  const dense: HostKind = { cpuModel: "Cascadelake-Server", cores: 128, memoryGiB: 768, nicGbps: 10 };
  const f3: HostKind[] = [
    dense,
    ...[...f1.slice(1, 6), ...f1.slice(1, 3)].map((k) => ({ ...k, memoryGiB: k.memoryGiB * 2 })),
  ];
  const pile = loadFleetFile(fileURLToPath(new URL("../../sim/fleets/pileup.yaml", import.meta.url)));
  return [
    generate("drain 1 of 8 hosts, 40 VMs in the fleet, 10 GbE", 11, f1, 40, [0]),
    generate("drain 4 of 50 hosts, 400 VMs in the fleet, 25 GbE", 12, f2, 400, [0, 1, 2, 3]),
    generate("drain 1 of 8 hosts carrying 40 VMs itself, 10 GbE", 13, f3, 80, [0], 40),
    {
      title: "reported pile-up: ten 1 GiB VMs, one destination with room for five",
      spec: pile,
      drain: ["src"],
      groups: new Map(),
    },
  ];
}

// ---- what the planner sees (what inventory would report) -----------------------------------

export function plannerInput(b: Bench): PlanInput {
  const state = fleetOf(b.spec, b.dirtyMiBps);
  const hosts: PlannerHost[] = state.hosts.map((h) => ({
    id: h.name,
    name: h.name,
    cpuModel: h.spec.cpuModel,
    cores: h.spec.cores,
    memoryFreeBytes: h.freeKiB() * 1024,
    vcpusInUse: h.vcpusInUse(),
    nicBps: (h.spec.nicGbps * 1e9 * NIC_EFFICIENCY) / 8,
    libvirtVersion: h.spec.libvirtVersion,
    state: b.drain.includes(h.name) ? "draining" : "active",
    antiAffinityGroups: [...h.domains.keys()].flatMap((n) => (b.groups.get(n) ? [b.groups.get(n) as string] : [])),
  }));
  const vms: PlannerVm[] = [];
  for (const name of b.drain) {
    for (const d of state.host(name)?.domains.values() ?? []) {
      const w = workloadFor(d);
      const mem = d.memoryKiB * 1024;
      vms.push({
        id: d.name,
        uuid: d.uuid,
        name: d.name,
        hostId: name,
        vcpus: d.vcpus,
        memoryBytes: mem,
        dirtyRateBps: w.dirtyRateBps,
        workingSetBytes: w.workingSetBytes,
        antiAffinityGroup: b.groups.get(d.name) ?? null,
        copyStorageBytes: d.disks.filter((x) => !x.shared && !x.readonly).reduce((s, x) => s + x.sizeBytes, 0),
        // Non-zero pages plus 9 bytes per zero page (the sim's wire format, A.9).
        transferBytes: Math.round(mem * (1 - w.zeroFraction) + ((mem * w.zeroFraction) / 4096) * 9),
      });
    }
  }
  const nic = new Map(hosts.map((h) => [h.id, h.nicBps]));
  const inflight = (b.inflight ?? []).flatMap((f) => {
    const src = state.hosts.find((h) => h.domains.has(f.vm));
    const d = src?.domains.get(f.vm);
    if (!src || !d) return [];
    const bw = Math.min(nic.get(src.name) ?? 1, nic.get(f.dest) ?? 1, STREAM_CAP_BPS);
    return [
      {
        sourceHostId: src.name,
        destHostId: f.dest,
        memoryBytes: d.memoryKiB * 1024,
        vcpus: d.vcpus,
        remainingMs: ((d.memoryKiB * 1024) / bw) * 1000,
        antiAffinityGroup: b.groups.get(f.vm) ?? null,
      },
    ];
  });
  return {
    hosts,
    vms,
    inflight,
    maxOutboundPerSource: b.maxOutbound ?? 2,
    maxInboundPerDest: 2,
    maxDowntimeMs: 300,
    perStreamCapBps: STREAM_CAP_BPS,
    autoConvergeWhenNeeded: true,
    ...(b.strategies ? { strategies: b.strategies } : {}),
    fixedOverheadMs: DEFAULT_PARAMS.setupMs + DEFAULT_PARAMS.deviceStateMs,
  };
}

// ---- executing a plan on the simulator ---------------------------------------------------

export type Limits = { out: number; in: number; global: number };
export type Outcome = { makespanMs: number; completed: number; overload: number; noConverge: number; other: number };

/**
 * Runs the plan's moves with the sim's engine, each as soon as its prerequisites hold
 * (lib/planner/evacuate-deps: the related moves the plan ends before it have ended, the earlier
 * ones on its source have started) and the limits allow.
 */
export async function execute(
  spec: FleetSpec,
  plan: Plan,
  limits: Limits,
  inflight: Bench["inflight"] = [],
  dirty?: Bench["dirtyMiBps"],
): Promise<Outcome> {
  const fleet = fleetOf(spec, dirty);
  // Migrations already running when the plan was made: started first, as they were.
  for (const f of inflight) {
    const host = [...fleet.hosts].find((h) => h.domains.has(f.vm));
    const dom = host?.domains.get(f.vm);
    const flags: MigrateFlags = {
      live: true,
      p2p: true,
      tunnelled: false,
      persistent: true,
      undefineSource: true,
      autoConverge: false,
      postcopy: false,
      postcopyAfterPrecopy: false,
      copyStorageAll: false,
      copyStorageInc: false,
      unsafe: false,
    };
    if (host && dom)
      await fleet.engine.start(host, dom, `qemu+ssh://${f.dest}/system`, flags, new AbortController().signal);
  }
  const moves = [...plan.moves].sort((a, b) => a.order - b.order);
  const pre = movePrerequisites(plan, DEFAULT_PARAMS.setupMs + DEFAULT_PARAMS.deviceStateMs);
  const started = new Set<number>();
  const startedIds = new Set<string>();
  const ended = new Set<string>();
  const running = new Map<number, { job: MigrationJob; at: number; limitMs: number }>();
  const count = (f: (i: number) => boolean) => [...running.keys()].filter(f).length;
  const out: Outcome = { makespanMs: 0, completed: 0, overload: 0, noConverge: 0, other: 0 };
  const end = (i: number, at: number) => {
    ended.add(moves[i]?.vmId ?? "");
    out.makespanMs = Math.max(out.makespanMs, at);
  };
  while (ended.size < moves.length) {
    for (let i = 0; i < moves.length && running.size < limits.global; i++) {
      const m = moves[i]!;
      if (started.has(i)) continue;
      if (
        count((j) => moves[j]!.sourceHostId === m.sourceHostId) >= limits.out ||
        count((j) => moves[j]!.destHostId === m.destHostId) >= limits.in
      )
        continue;
      if (!readyToStart(pre.get(m.vmId), ended, startedIds)) continue;
      started.add(i);
      startedIds.add(m.vmId);
      const src = fleet.host(m.sourceHostId);
      const dom = src?.domains.get(m.vmName);
      const local = dom?.disks.some((d) => !d.shared && !d.readonly) ?? false;
      // As the drain launches it (drain-decide.ts): post-copy or suspend-at-end switch by virsh's timer.
      const sw = plannedSwitch(m);
      const flags: MigrateFlags = {
        live: true,
        p2p: true,
        tunnelled: false,
        persistent: true,
        undefineSource: true,
        autoConverge: m.autoConverge,
        postcopy: sw?.action === "postcopy",
        postcopyAfterPrecopy: false,
        ...(sw ? { timeout: sw } : {}),
        copyStorageAll: local,
        copyStorageInc: false,
        unsafe: false,
        ...(m.maxBandwidthBps ? { bandwidthMiB: Math.max(1, Math.floor(m.maxBandwidthBps / 2 ** 20)) } : {}),
      };
      try {
        if (!src || !dom) throw new Error(`no domain ${m.vmName} on ${m.sourceHostId}`);
        const job = await fleet.engine.start(
          src,
          dom,
          `qemu+ssh://${m.destHostId}/system`,
          flags,
          new AbortController().signal,
        );
        running.set(i, {
          job,
          at: fleet.nowMs,
          limitMs: GIVE_UP_MS_PER_GIB * Math.max(1, (dom.memoryKiB * 1024) / GiB),
        });
      } catch (e) {
        if (/Cannot allocate memory/.test(e instanceof Error ? e.message : String(e))) out.overload++;
        else out.other++;
        end(i, fleet.nowMs);
      }
    }
    // Nothing runs and nothing could start: only possible if the plan's order were inconsistent.
    if (running.size === 0 && ended.size < moves.length) break;
    // Fine steps while something waits to start (its trigger is a job ending), coarse otherwise;
    // end times are exact either way (job start + the physics' own elapsed time).
    fleet.advance(started.size < moves.length ? 10 : 1000);
    for (const [i, r] of [...running]) {
      const phase = r.job.physics.phase;
      if (r.job.state === "done") {
        running.delete(i);
        if (phase === "completed") out.completed++;
        else out.other++;
        end(i, r.at + r.job.physics.elapsedMs);
      } else if (fleet.nowMs - r.at > r.limitMs) {
        fleet.engine.abort(r.job);
        running.delete(i);
        out.noConverge++;
        end(i, fleet.nowMs);
      }
    }
  }
  return out;
}

// ---- report ----------------------------------------------------------------------------------

export type BenchRow = { scheduler: string; plannedMs: number } & Outcome;
export type BenchFleet = {
  title: string;
  drained: string[];
  vms: number;
  ramGiB: number;
  sendGiB: number;
  plan: Plan;
  lbMs: number;
  lbStarMs: number;
  rows: BenchRow[];
};

/** Plans and executes every fleet with the three schedulers; structured, for tests and the table. */
export async function runEvacuationBench(only?: (title: string) => boolean): Promise<BenchFleet[]> {
  const out: BenchFleet[] = [];
  for (const b of fleets().filter((f) => !only || only(f.title))) {
    const input = plannerInput(b);
    const convoy = planEvacuation(input);
    const moved = new Set(convoy.moves.map((m) => m.vmId));
    // LB over the VMs that can be placed at all, the same for every row.
    const feasible = { ...input, vms: input.vms.filter((v) => moved.has(v.id)) };
    const schedulers: [string, Plan, Limits][] = [
      [
        "Convoy planner",
        convoy,
        { out: input.maxOutboundPerSource, in: input.maxInboundPerDest, global: Number.POSITIVE_INFINITY },
      ],
      [
        "(a) most reported free RAM, all at once",
        mostFreeRamAllAtOnce(input),
        { out: Number.POSITIVE_INFINITY, in: Number.POSITIVE_INFINITY, global: Number.POSITIVE_INFINITY },
      ],
      ["(b) serial, one at a time", serialOneAtATime(input), { out: 1, in: 1, global: 1 }],
    ];
    const rows: BenchRow[] = [];
    for (const [scheduler, plan, limits] of schedulers)
      rows.push({ scheduler, plannedMs: plan.makespanMs, ...(await execute(b.spec, plan, limits)) });
    out.push({
      title: b.title,
      drained: b.drain,
      vms: input.vms.length,
      ramGiB: input.vms.reduce((x, v) => x + v.memoryBytes, 0) / GiB,
      sendGiB: input.vms.reduce((x, v) => x + (v.transferBytes ?? 0) + (v.copyStorageBytes ?? 0), 0) / GiB,
      plan: convoy,
      lbMs: evacuationLowerBound(feasible),
      lbStarMs: resendAwareLowerBound(feasible),
      rows,
    });
  }
  return out;
}

const s = (ms: number) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : "never");

export async function benchEvacuation(): Promise<string> {
  const lines: string[] = [];
  for (const f of await runEvacuationBench()) {
    lines.push(f.title);
    lines.push(
      `  evacuating ${f.vms} VMs from ${f.drained.join(", ")} (${f.ramGiB.toFixed(0)} GiB RAM, ${f.sendGiB.toFixed(1)} GiB to send); Convoy places ${f.plan.moves.length}, unplaced ${f.plan.unplaced.length}, flagged ${f.plan.flagged.length}`,
    );
    for (const u of f.plan.unplaced.slice(0, 2)) lines.push(`  unplaced ${u.vmName}: ${u.reason}`);
    lines.push(
      `  LB ${s(f.lbMs)} over the ${f.plan.moves.length} placeable VMs (LB* with predicted dirty re-sends: ${s(f.lbStarMs)})`,
    );
    lines.push(
      `  ${"scheduler".padEnd(40)}${"makespan".padStart(9)}${"planned".padStart(9)}${"moved".padStart(7)}${"overload".padStart(9)}${"no-conv".padStart(8)}${"other".padStart(6)}${"/LB".padStart(6)}${"/LB*".padStart(6)}`,
    );
    for (const r of f.rows) {
      lines.push(
        `  ${r.scheduler.padEnd(40)}${s(r.makespanMs).padStart(9)}${s(r.plannedMs).padStart(9)}${`${r.completed}/${f.vms}`.padStart(7)}${String(r.overload).padStart(9)}${String(r.noConverge).padStart(8)}${String(r.other).padStart(6)}${(r.makespanMs / f.lbMs).toFixed(2).padStart(6)}${(r.makespanMs / f.lbStarMs).toFixed(2).padStart(6)}`,
      );
    }
    lines.push("");
  }
  lines.push(
    "makespan: measured on the simulator (sim/migration engine, its physics and capacity rule); planned: the plan's own prediction;",
  );
  lines.push(
    "overload: the destination could not hold the guest (QEMU 'Cannot allocate memory'); no-conv: aborted after",
  );
  lines.push(
    `${GIVE_UP_MS_PER_GIB / 1000} s/GiB without converging; LB: C.3's bound; LB*: the same with each VM's predicted dirty re-sends`,
  );
  lines.push("at its best bandwidth (the part of the gap to LB that is the guests' dirtying, not the schedule).");
  return lines.join("\n");
}
