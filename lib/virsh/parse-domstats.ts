// `virsh domstats`: "Domain: 'name'" followed by "  key=value" lines, per domain. The record keeps
// every key as text; the helpers below read the groups Convoy uses, in base units.
// 9.0 has no migration keys here (only `state.reason=2`, migrated, after one): job progress comes from domjobinfo.
import { type DomainState, reasonFromCode, stateFromCode } from "./domain-state";
import { VirshParseError } from "./errors";
import { lines, parseUInt } from "./text";

export type DomStatsRecord = { name: string; stats: Record<string, string> };

const P = "parseDomStats";

export function parseDomStats(text: string): DomStatsRecord[] {
  const out: DomStatsRecord[] = [];
  for (const line of lines(text)) {
    if (line === "") continue;
    // virsh prints the name between quotes without escaping, so take first to last quote.
    const head = /^Domain: '(.*)'$/.exec(line);
    if (head) {
      out.push({ name: head[1] ?? "", stats: {} });
      continue;
    }
    const kv = /^\s+([^=\s]+)=(.*)$/.exec(line);
    const current = out[out.length - 1];
    if (!kv?.[1] || !current) throw new VirshParseError(P, "expected \"Domain: '…'\" or '  key=value'", line);
    current.stats[kv[1]] = kv[2] ?? "";
  }
  return out;
}

function num(rec: DomStatsRecord, key: string): number | null {
  const v = rec.stats[key];
  return v === undefined ? null : parseUInt(v, P, `${rec.name}: ${key}=${v}`);
}

/** state.state / state.reason → the same words `domstate --reason` prints. */
export function stateOf(rec: DomStatsRecord): { state: DomainState; reason: string } | null {
  const code = num(rec, "state.state");
  if (code === null) return null;
  const state = stateFromCode(code);
  if (!state) throw new VirshParseError(P, "unknown state code", `${rec.name}: state.state=${code}`);
  return { state, reason: reasonFromCode(state, num(rec, "state.reason") ?? 0) };
}

export function vcpusOf(rec: DomStatsRecord): { current: number; maximum: number } | null {
  const current = num(rec, "vcpu.current");
  const maximum = num(rec, "vcpu.maximum");
  return current === null || maximum === null ? null : { current, maximum };
}

/** Balloon group (KiB in the output) in bytes; rss is the QEMU process's resident memory. */
export function memoryOf(
  rec: DomStatsRecord,
): { currentBytes: number; maximumBytes: number; rssBytes: number | null } | null {
  const current = num(rec, "balloon.current");
  const maximum = num(rec, "balloon.maximum");
  if (current === null || maximum === null) return null;
  const rss = num(rec, "balloon.rss");
  return { currentBytes: current * 1024, maximumBytes: maximum * 1024, rssBytes: rss === null ? null : rss * 1024 };
}

/** Guest CPU time in ns: the sum of vcpu.N.time (what the vCPUs ran), else cpu.time; null if neither. */
export function cpuTimeOf(rec: DomStatsRecord): number | null {
  const n = num(rec, "vcpu.current") ?? 0;
  let sum = 0;
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const t = num(rec, `vcpu.${i}.time`);
    if (t !== null) {
      sum += t;
      seen++;
    }
  }
  return seen > 0 ? sum : num(rec, "cpu.time");
}

export type StatsBlock = {
  name: string;
  path: string | null;
  capacityBytes: number | null;
  allocationBytes: number | null;
};

export function blockCountOf(rec: DomStatsRecord): number | null {
  return num(rec, "block.count");
}

export function blocksOf(rec: DomStatsRecord): StatsBlock[] {
  const n = blockCountOf(rec) ?? 0;
  return Array.from({ length: n }, (_, i) => {
    const name = rec.stats[`block.${i}.name`];
    if (name === undefined) throw new VirshParseError(P, `missing block.${i}.name`, rec.name);
    return {
      name,
      path: rec.stats[`block.${i}.path`] ?? null,
      capacityBytes: num(rec, `block.${i}.capacity`),
      allocationBytes: num(rec, `block.${i}.allocation`),
    };
  });
}

export type DirtyRateStatus = "unstarted" | "measuring" | "measured";

export type DirtyRateStats = {
  status: DirtyRateStatus;
  /** QEMU's monotonic start time of the measurement (ms since QEMU start, not wall clock). */
  startTime: number;
  periodSeconds: number;
  mode: string | null;
  /** dirtyrate.megabytes_per_second is MiB/s (QEMU shifts by 20); only when measured. */
  mibPerSecond: number | null;
  bytesPerSecond: number | null;
};

const CALC_STATUS: readonly DirtyRateStatus[] = ["unstarted", "measuring", "measured"];

/** dirtyrate.* keys, or null when the group is absent (e.g. QEMU crashed: "Domain: 'x'" only). */
export function dirtyRateOf(rec: DomStatsRecord): DirtyRateStats | null {
  const code = num(rec, "dirtyrate.calc_status");
  if (code === null) return null;
  const status = CALC_STATUS[code];
  if (!status) throw new VirshParseError(P, "unknown dirtyrate.calc_status", `${rec.name}: ${code}`);
  const mib = num(rec, "dirtyrate.megabytes_per_second");
  return {
    status,
    startTime: num(rec, "dirtyrate.calc_start_time") ?? 0,
    periodSeconds: num(rec, "dirtyrate.calc_period") ?? 0,
    mode: rec.stats["dirtyrate.calc_mode"] ?? null,
    mibPerSecond: mib,
    bytesPerSecond: mib === null ? null : mib * 1024 * 1024,
  };
}
