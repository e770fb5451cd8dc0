// `virsh domstats`: per-domain "Domain: 'x'" blocks of key=value lines, in libvirt 9.0's group
// order (fixtures inventory-hv1-domstats-list-active.txt, s1-01-domstats.txt, s4-dirtyrate-*).
import type { ProfileName } from "../fleet-file";
import { cpuTimeNs, type Domain } from "../model/domain";
import { isActive, reasonNumber, stateNumber } from "../model/domain-state";
import { derivedSeed } from "../model/ids";
import type { FleetState } from "../model/fleet-state";
import type { SimHost } from "../model/host";
import { measureDirtyRateMiBps } from "../physics/dirty-rate";
import { workloadFor } from "../migration/workload";
import type { CommandDef, VirshCtx } from "./context";
import { ERR, VirshError } from "./errors";
import { flag } from "./options";

const GROUPS = [
  "state",
  "cpu-total",
  "balloon",
  "vcpu",
  "interface",
  "block",
  "perf",
  "iothread",
  "memory",
  "dirtyrate",
  "vm",
] as const;
const LIST_FLAGS = [
  "list-active",
  "list-inactive",
  "list-persistent",
  "list-transient",
  "list-running",
  "list-paused",
  "list-shutoff",
  "list-other",
];

/** Disk requests per second and resident share of RAM by workload, for plausible counters. */
const IO: Record<ProfileName, { rd: number; wr: number }> = {
  idle: { rd: 0.2, wr: 1 },
  web: { rd: 20, wr: 40 },
  database: { rd: 400, wr: 300 },
  stress: { rd: 2, wr: 20 },
};

export const domstatsCommand: CommandDef = {
  name: "domstats",
  opts: [
    ...GROUPS.map(flag),
    ...LIST_FLAGS.map(flag),
    flag("raw"),
    flag("enforce"),
    flag("backing"),
    flag("nowait"),
    { name: "domain", type: "argv" },
  ],
  run(ctx, a) {
    const names = a.list("domain");
    let doms: Domain[];
    if (names.length > 0) {
      doms = names.map((n) => {
        const d = [...ctx.host.domains.values()].find((x) => x.name === n || x.uuid === n || String(x.id) === n);
        if (!d) throw new VirshError(ERR.noDomain(n));
        return d;
      });
    } else {
      doms = [...ctx.host.domains.values()].filter((d) =>
        listFilter(
          d,
          LIST_FLAGS.filter((f) => a.bool(f)),
        ),
      );
      doms.sort(
        (x, y) => (x.id ?? Number.MAX_SAFE_INTEGER) - (y.id ?? Number.MAX_SAFE_INTEGER) || (x.name < y.name ? -1 : 1),
      );
    }
    const chosen = GROUPS.filter((g) => a.bool(g));
    const groups = chosen.length > 0 ? chosen : GROUPS;
    for (const d of doms) ctx.out(record(ctx, d, groups));
  },
};

function listFilter(d: Domain, flags: string[]): boolean {
  const active = isActive(d.status);
  return flags.every((f) => {
    switch (f) {
      case "list-active":
        return active;
      case "list-inactive":
        return !active;
      case "list-persistent":
        return d.persistent;
      case "list-transient":
        return !d.persistent;
      case "list-running":
        return d.status.state === "running";
      case "list-paused":
        return d.status.state === "paused";
      case "list-shutoff":
        return d.status.state === "shut off";
      default:
        return d.status.state === "crashed";
    }
  });
}

function record(ctx: VirshCtx, d: Domain, groups: readonly string[]): string {
  const { fleet, host } = ctx;
  const active = isActive(d.status);
  const kv: [string, string | number][] = [];
  const push = (k: string, v: string | number) => kv.push([k, v]);
  const upSec = Math.max(0, (fleet.nowMs - d.bootedAtMs) / 1000);
  const io = IO[d.profile];
  const job = fleet.engine.jobFor(host, d.name);
  const cpu = Math.round(cpuTimeNs(d, fleet.nowMs, job?.physics.throttlePercent ?? 0) / 1e7) * 1e7;
  if (groups.includes("state")) {
    push("state.state", stateNumber(d.status.state));
    push("state.reason", reasonNumber(d.status));
  }
  if (groups.includes("cpu-total") && active) {
    push("cpu.time", cpu);
    push("cpu.user", Math.round((cpu * 0.9) / 1e7) * 1e7);
    push("cpu.system", cpu - Math.round((cpu * 0.9) / 1e7) * 1e7);
    push("cpu.cache.monitor.count", 0);
    push("cpu.haltpoll.success.time", 0);
    push("cpu.haltpoll.fail.time", 0);
  }
  if (groups.includes("balloon")) {
    push("balloon.current", d.memoryKiB);
    push("balloon.maximum", d.memoryKiB);
    if (active) {
      push("balloon.last-update", 0);
      // QEMU's RSS is the guest pages ever touched (never-touched ones are the zero pages a
      // migration skips) plus QEMU's own ~31 MiB: the console reads it as "bytes to send".
      push("balloon.rss", Math.round(d.memoryKiB * (1 - workloadFor(d).zeroFraction)) + 31_744);
    }
  }
  if (groups.includes("vcpu")) {
    push("vcpu.current", d.vcpus);
    push("vcpu.maximum", d.vcpus);
    if (active) {
      for (let i = 0; i < d.vcpus; i++) {
        push(`vcpu.${i}.state`, 1);
        push(`vcpu.${i}.time`, Math.round(cpu / d.vcpus / 1e7) * 1e7);
        push(`vcpu.${i}.wait`, 0);
        push(`vcpu.${i}.delay`, Math.round(upSec * 1_000_000 * (1 + i * 0.07)));
      }
    }
  }
  if (groups.includes("interface")) push("net.count", 0);
  if (groups.includes("block")) {
    push("block.count", d.disks.length);
    d.disks.forEach((k, i) => {
      const p = `block.${i}`;
      push(`${p}.name`, k.target);
      push(`${p}.path`, k.path);
      if (active) {
        push(`${p}.backingIndex`, 1);
        const rd = Math.floor(upSec * io.rd) + 1;
        const wr = k.readonly ? 0 : Math.floor(upSec * io.wr);
        push(`${p}.rd.reqs`, rd);
        push(`${p}.rd.bytes`, rd * 16_384 - 15_872);
        push(`${p}.rd.times`, rd * 141_901);
        push(`${p}.wr.reqs`, wr);
        push(`${p}.wr.bytes`, wr * 12_288);
        push(`${p}.wr.times`, wr * 402_113);
        push(`${p}.fl.reqs`, Math.floor(wr / 8));
        push(`${p}.fl.times`, Math.floor(wr / 8) * 1_233_007);
      }
      const alloc = Math.round((k.sizeBytes * 0.4) / 65_536) * 65_536;
      push(`${p}.allocation`, alloc);
      push(`${p}.capacity`, k.sizeBytes);
      push(`${p}.physical`, alloc);
    });
  }
  if (groups.includes("dirtyrate") && active) {
    const c = settleDirtyRate(fleet, host, d);
    push("dirtyrate.calc_status", c?.status ?? 0);
    push("dirtyrate.calc_start_time", c?.startTime ?? 0);
    push("dirtyrate.calc_period", c?.periodS ?? 0);
    push("dirtyrate.calc_mode", c?.mode ?? "page-sampling");
    if (c?.status === 2) push("dirtyrate.megabytes_per_second", c.mbps ?? 0);
  }
  return `Domain: '${d.name}'\n${kv.map(([k, v]) => `  ${k}=${v}\n`).join("")}\n`;
}

/** Finish a dirty-rate measurement whose period is over (QEMU computes it at the end). */
export function settleDirtyRate(fleet: FleetState, host: SimHost, d: Domain): Domain["dirtyCalc"] {
  const c = d.dirtyCalc;
  if (c && c.status === 1 && fleet.nowMs >= c.endsAtSimMs) {
    const job = fleet.engine.jobFor(host, d.name);
    c.status = 2;
    c.mbps = measureDirtyRateMiBps(
      workloadFor(d),
      job?.physics.throttlePercent ?? 0,
      d.status.state !== "running" || (job?.physics.guestPaused ?? false),
      c.periodS,
      derivedSeed(fleet.seed, "dirtyrate", d.name, String(c.startTime)),
      d.memoryKiB * 1024,
    );
  }
  return c;
}
