// Job statistics as `virsh domjobinfo --rawstats` shows them (fixtures s1-01-domjobinfo-rawstats.txt,
// s1-05-domjobinfo-running-rawstats.txt and the job-completed events in s1/s2b-events-hv1.txt).
import { describe, expect, it } from "vitest";
import { PrecopyMigration } from "./precopy";
import { GiB, MiB, num, runToEnd } from "./test-helpers";
import type { GuestWorkload } from "./types";

const RUNNING_KEYS = [
  "operation",
  "time_elapsed",
  "downtime",
  "setup_time",
  "data_total",
  "data_processed",
  "data_remaining",
  "memory_total",
  "memory_processed",
  "memory_remaining",
  "memory_bps",
  "memory_constant",
  "memory_normal",
  "memory_normal_bytes",
  "memory_dirty_rate",
  "memory_iteration",
  "memory_postcopy_requests",
  "memory_page_size",
  "disk_total",
  "disk_processed",
  "disk_remaining",
];
const COMPLETED_KEYS = [
  "operation",
  "time_elapsed",
  "time_elapsed_net",
  "downtime",
  "downtime_net",
  ...RUNNING_KEYS.slice(3),
];

const VM = 537_403_392;
const W = 254 * MiB;
const B = 8 * MiB;
const ZF = 0.67;
const heavy: GuestWorkload = { dirtyRateBps: 4 * GiB, workingSetBytes: W, zeroFraction: ZF, cpuBound: true };

describe("running job stats", () => {
  it("carry exactly libvirt 9.0's keys; auto_converge_throttle only once throttling began", () => {
    const m = new PrecopyMigration({
      memoryBytes: VM,
      workload: heavy,
      params: { maxBandwidthBps: 32 * MiB, autoConverge: true },
    });
    m.advance(5_000, 1.25e9);
    expect(Object.keys(m.jobStats())).toEqual(RUNNING_KEYS);
    while (m.throttlePercent === 0) m.advance(1_000, 1.25e9);
    expect(Object.keys(m.jobStats())).toEqual([...RUNNING_KEYS, "auto_converge_throttle"]);
    expect(m.jobStats().auto_converge_throttle).toBe(20);
    for (const v of Object.values(m.jobStats())) expect(Number.isInteger(v)).toBe(true);
  });

  it("saw-tooth: remaining falls at the bandwidth, jumps to the hot set at each sync; dirty rate 0 in pass 1", () => {
    const setupMs = 4;
    const m = new PrecopyMigration({
      memoryBytes: VM,
      workload: heavy,
      jitter: 0,
      params: { maxBandwidthBps: B, setupMs },
    });
    // Pass 0 on the wire: non-zero bytes plus 9 bytes per zero page.
    const pass0Ms = (((1 - ZF) * VM + ((ZF * VM) / 4096) * 9) / B) * 1000;
    const samples = [];
    for (let t = 1; t <= 90; t++) {
      m.advance(1000, 1.25e9);
      samples.push(m.jobStats());
    }
    const first = samples[0];
    expect(first?.memory_dirty_rate).toBe(0);
    expect(first?.downtime).toBe(300); // expected downtime starts at the limit
    expect(first?.memory_iteration).toBe(1);
    expect(first?.memory_bps).toBe(B);
    const afterSync = samples.find((s) => s.memory_iteration === 2);
    // Pages dirtied per second over the last sync period: the hot set over pass 0's duration.
    expect(Math.abs((afterSync?.memory_dirty_rate ?? 0) - W / 4096 / (pass0Ms / 1000))).toBeLessThanOrEqual(1);
    expect(Math.abs((afterSync?.downtime ?? 0) - (W / B) * 1000)).toBeLessThanOrEqual(1);
    for (let i = 1; i < samples.length; i++) {
      const [a, b] = [samples[i - 1], samples[i]];
      if (!a || !b) continue;
      expect(num(b.data_processed)).toBeGreaterThan(num(a.data_processed));
      expect(b.memory_normal_bytes).toBe(num(b.memory_normal) * 4096);
      if (b.memory_iteration === a.memory_iteration) expect(num(b.data_remaining)).toBeLessThan(num(a.data_remaining));
      else expect(num(b.data_remaining)).toBeGreaterThan(W - 2 * B);
    }
    expect(samples.at(-1)?.memory_iteration).toBeGreaterThanOrEqual(4);
  });
});

describe("completed job stats", () => {
  it("have the job-completed key set, real downtime, nothing remaining, a destination copy", () => {
    const m = new PrecopyMigration({ memoryBytes: 4 * GiB, workload: { ...heavy, dirtyRateBps: 100 * MiB }, seed: 9 });
    runToEnd(m, 1.1 * GiB);
    const s = m.completedStats();
    expect(Object.keys(s ?? {})).toEqual(COMPLETED_KEYS);
    expect(s?.data_remaining).toBe(0);
    expect(s?.memory_dirty_rate).toBe(0);
    expect(s?.downtime_net).toBe((s?.downtime ?? 0) - 2);
    expect(s?.time_elapsed).toBe(Math.round(m.elapsedMs));
    expect(m.completedStats("destination")?.operation).toBe(4);
    expect(m.jobStats()).toEqual(s);
  });
});

describe("--copy-storage-all", () => {
  it("copies the disk first at the same bandwidth, then RAM", () => {
    const disk = 2 * GiB;
    const bw = 500 * MiB;
    const m = new PrecopyMigration({
      memoryBytes: 1 * GiB,
      workload: { ...heavy, dirtyRateBps: 10 * MiB },
      diskBytesToCopy: disk,
      jitter: 0,
    });
    m.advance(2_000, bw);
    const during = m.jobStats();
    expect(m.phase).toBe("precopy");
    expect(during.memory_iteration).toBe(0);
    expect(during.memory_remaining).toBe(1 * GiB);
    expect(during.disk_total).toBe(disk);
    expect(Math.abs(num(during.disk_processed) - ((2_000 - 5) / 1000) * bw)).toBeLessThan(1);
    expect(during.disk_bps).toBe(bw);
    expect(during.data_total).toBe(disk + 1 * GiB);
    const events = runToEnd(m, bw);
    expect(events[0]?.type).toBe("iteration");
    expect(Math.abs((events[0]?.atMs ?? 0) - (5 + (disk / bw) * 1000))).toBeLessThan(1e-6);
    const s = m.completedStats();
    expect(s?.disk_processed).toBe(disk);
    expect(s?.disk_remaining).toBe(0);
    expect(s?.data_processed).toBe((s?.memory_processed ?? 0) + disk);
  });
});
