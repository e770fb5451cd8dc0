// Operator controls and libvirt-visible behaviour, checked against the lab captures
// (measured on the QEMU lab, lab/README.md; numbers quoted in the test names).
import { describe, expect, it } from "vitest";
import { PrecopyMigration } from "./precopy";
import { GiB, MiB, num, ofType, runToEnd } from "./test-helpers";
import type { GuestWorkload } from "./types";

// The lab's vm-heavy: 512 MiB guest, unbounded dirtier over a ~254 MiB hot set, ~2/3 zero pages.
const VM_HEAVY = 537_403_392;
const HOT = 254 * MiB;
const heavy: GuestWorkload = { dirtyRateBps: 4 * GiB, workingSetBytes: HOT, zeroFraction: 0.67, cpuBound: true };
const LINK = 1.25e9; // the caller's fair share (10 Gb/s), larger than every cap below

function advanceTo(m: PrecopyMigration, ms: number, bw = LINK, dt = 500) {
  const events = [];
  while (m.elapsedMs < ms && !["completed", "cancelled", "failed"].includes(m.phase)) {
    events.push(...m.advance(Math.min(dt, ms - m.elapsedMs), bw));
  }
  return events;
}

describe("virsh suspend during a non-converging migration (lab s1: done ~55 s later)", () => {
  it("finishes after ~1-2 working sets / bandwidth, downtime counted from the pause", () => {
    const B = 8 * MiB;
    const m = new PrecopyMigration({ memoryBytes: VM_HEAVY, workload: heavy, seed: 3, params: { maxBandwidthBps: B } });
    advanceTo(m, 83_000);
    expect(m.phase).toBe("precopy");
    m.pauseGuest();
    expect(m.guestPaused).toBe(true);
    const events = runToEnd(m, LINK, 1000);
    expect(events[0]).toEqual({ atMs: 83_000, type: "guest-paused" });
    expect(m.phase).toBe("completed");
    const downtime = m.completedStats()?.downtime ?? 0;
    expect(Math.abs(downtime - (m.elapsedMs - 83_000))).toBeLessThanOrEqual(1);
    expect(downtime / 1000).toBeGreaterThan(HOT / B);
    expect(downtime / 1000).toBeLessThan((2 * HOT) / B + 1);
    expect(ofType(events, "completed")[0]?.downtimeMs).toBe(downtime);
  });
});

describe("post-copy (lab s3/s8)", () => {
  const armed = (extra = {}) =>
    new PrecopyMigration({
      memoryBytes: VM_HEAVY,
      workload: heavy,
      seed: 4,
      params: { maxBandwidthBps: 8 * MiB, postcopy: true, ...extra },
    });

  it("runs on the destination, serves faults, completes when the rest arrived; downtime is the switch only", () => {
    const m = armed({ postcopyBandwidthBps: 4 * MiB });
    advanceTo(m, 12_000);
    m.startPostcopy();
    const first = m.advance(0, LINK);
    expect(first.map((e) => e.type)).toEqual(["iteration", "postcopy-started"]);
    expect(m.phase).toBe("postcopy");
    const atSwitch = m.jobStats();
    advanceTo(m, 20_000);
    const r1 = num(m.jobStats().memory_postcopy_requests);
    expect(r1).toBeGreaterThan(0);
    advanceTo(m, 25_000);
    const later = m.jobStats();
    expect(later.memory_postcopy_requests).toBeGreaterThan(r1);
    expect(later.memory_bps).toBe(4 * MiB); // --postcopy-bandwidth, not the pre-copy 8 MiB/s
    expect(num(later.memory_remaining)).toBeLessThan(num(atSwitch.memory_remaining));
    expect(() => m.abort()).toThrow("cannot abort migration in post-copy mode");
    runToEnd(m, LINK, 1000);
    expect(m.phase).toBe("completed");
    // Everything left goes at 4 MiB/s after the 25 ms switch.
    const sent = (m.completedStats()?.memory_processed ?? 0) - num(atSwitch.memory_processed);
    expect(Math.abs(m.elapsedMs / (12_000 + 25 + (sent / (4 * MiB)) * 1000) - 1)).toBeLessThan(0.01);
    const s = m.completedStats();
    expect(s?.downtime).toBeLessThanOrEqual(30);
    expect(s?.memory_iteration).toBe(2); // setup sync + the post-copy sync, like s8
  });

  it("post-copy bandwidth is unlimited by default (s3a: done ~2 s after migrate-postcopy)", () => {
    const m = armed();
    advanceTo(m, 15_000);
    m.startPostcopy();
    runToEnd(m, LINK, 100);
    expect(m.phase).toBe("completed");
    expect(m.elapsedMs).toBeLessThan(16_000);
  });

  it("a failure during post-copy loses the guest", () => {
    const m = armed();
    advanceTo(m, 5_000);
    m.startPostcopy();
    m.advance(0, LINK);
    m.fail("link to hv2 dropped");
    const [failed] = ofType(m.advance(100, LINK), "failed");
    expect(m.phase).toBe("failed");
    expect(m.guestLost).toBe(true);
    expect(failed?.reason).toMatch(/^link to hv2 dropped; guest lost/);
    expect(m.completedStats()).toBeNull();
  });

  it("a failure during pre-copy keeps the guest on the source", () => {
    const m = armed();
    advanceTo(m, 5_000);
    m.fail("host hv2 down");
    expect(ofType(m.advance(0, LINK), "failed")[0]?.reason).toBe("host hv2 down");
    expect(m.guestLost).toBe(false);
  });

  it("startPostcopy without --postcopy or without a job throws libvirt's text", () => {
    const m = new PrecopyMigration({ memoryBytes: VM_HEAVY, workload: heavy, params: { maxBandwidthBps: 8 * MiB } });
    advanceTo(m, 2_000);
    expect(() => m.startPostcopy()).toThrow(
      new Error("switching to post-copy requires migration to be started with VIR_MIGRATE_POSTCOPY flag"),
    );
    m.abort();
    expect(() => m.startPostcopy()).toThrow("post-copy can only be started while outgoing migration is in progress");
  });

  it("--postcopy-after-precopy switches after the first pass", () => {
    const m = armed({ postcopyAfterPrecopy: true });
    const events = runToEnd(m, LINK, 1000);
    expect(m.phase).toBe("completed");
    expect(events.map((e) => e.type).slice(0, 4)).toEqual(["iteration", "iteration", "iteration", "postcopy-started"]);
  });
});

describe("abort", () => {
  it("cancels, emits one event, then reports no job", () => {
    const m = new PrecopyMigration({
      memoryBytes: VM_HEAVY,
      workload: heavy,
      params: { maxBandwidthBps: 32 * MiB, autoConverge: true },
    });
    advanceTo(m, 40_000);
    expect(m.throttlePercent).toBeGreaterThan(0);
    m.abort();
    expect(m.phase).toBe("cancelled");
    expect(m.throttlePercent).toBe(0);
    expect(m.advance(1000, LINK)).toEqual([{ atMs: 40_000, type: "cancelled" }]);
    expect(m.elapsedMs).toBe(40_000);
    expect(m.completedStats()).toBeNull();
    expect(() => m.abort()).toThrow("no job is active on the domain");
  });
});

describe("--timeout (lab s3b/s3c)", () => {
  it("--timeout 15 --timeout-suspend at 32 MiB/s pauses at 15 s and finishes a working set later", () => {
    const m = new PrecopyMigration({
      memoryBytes: VM_HEAVY,
      workload: heavy,
      seed: 6,
      params: { maxBandwidthBps: 32 * MiB, timeout: { seconds: 15, action: "suspend" } },
    });
    const events = runToEnd(m, LINK, 1000);
    expect(ofType(events, "guest-paused")).toEqual([{ atMs: 15_000, type: "guest-paused" }]);
    expect(m.guestPaused).toBe(true);
    expect(m.phase).toBe("completed");
    expect(m.elapsedMs / 1000).toBeGreaterThan(20); // lab: 24.8 s, downtime 8.1 s
    expect(m.elapsedMs / 1000).toBeLessThan(15 + (2 * HOT) / (32 * MiB));
    expect(Math.abs((m.completedStats()?.downtime ?? 0) - (m.elapsedMs - 15_000))).toBeLessThanOrEqual(1);
  });

  it("--timeout 15 --timeout-postcopy switches by itself", () => {
    const m = new PrecopyMigration({
      memoryBytes: VM_HEAVY,
      workload: heavy,
      params: { maxBandwidthBps: 8 * MiB, postcopy: true, timeout: { seconds: 15, action: "postcopy" } },
    });
    const events = runToEnd(m, LINK, 1000);
    expect(ofType(events, "postcopy-started")).toEqual([{ atMs: 15_000, type: "postcopy-started" }]);
    expect(m.phase).toBe("completed");
    expect(m.elapsedMs).toBeLessThan(17_000); // lab: finished ~1.2 s after the switch
    expect(m.completedStats()?.memory_postcopy_requests).toBeGreaterThan(0);
  });

  it("--timeout-postcopy without --postcopy is refused", () => {
    expect(
      () =>
        new PrecopyMigration({
          memoryBytes: VM_HEAVY,
          workload: heavy,
          params: { timeout: { seconds: 5, action: "postcopy" } },
        }),
    ).toThrow("--timeout-postcopy requires --postcopy");
  });
});

describe("live parameter changes", () => {
  it("migrate-setspeed shows in memory_bps after the next 100 ms window; demandBps follows the cap", () => {
    const m = new PrecopyMigration({ memoryBytes: VM_HEAVY, workload: heavy, params: { maxBandwidthBps: 8 * MiB } });
    expect(m.demandBps()).toBe(8 * MiB);
    advanceTo(m, 10_000);
    expect(m.jobStats().memory_bps).toBe(8 * MiB);
    m.setMaxBandwidth(32 * MiB);
    expect(m.demandBps()).toBe(32 * MiB);
    m.advance(100, LINK);
    expect(m.jobStats().memory_bps).toBe(32 * MiB);
    m.advance(1000, 20 * MiB); // a smaller fair share wins over the cap
    expect(m.jobStats().memory_bps).toBe(20 * MiB);
    m.setMaxBandwidth(0); // QEMU 7.2: zero means unlimited
    expect(m.demandBps()).toBe(Number.POSITIVE_INFINITY);
  });

  it("raising the downtime limit lets a stuck migration switch over at the next window", () => {
    const B = 1.1 * GiB;
    const W = 2 * GiB;
    const m = new PrecopyMigration({
      memoryBytes: 8 * GiB,
      workload: { ...heavy, workingSetBytes: W, zeroFraction: 0 },
      jitter: 0,
    });
    advanceTo(m, 60_000, B, 1000);
    expect(m.phase).toBe("precopy");
    m.setDowntimeLimit(2500);
    const events = runToEnd(m, B, 100);
    expect(m.phase).toBe("completed");
    expect(ofType(events, "switchover")[0]?.atMs).toBeLessThan(60_000 + 100 + 1e-6);
    expect(m.completedStats()?.downtime).toBeLessThanOrEqual(2500 + 25);
  });

  it("throttle parameters can be changed mid-flight (migrate-set-parameters)", () => {
    const m = new PrecopyMigration({
      memoryBytes: 8 * GiB,
      workload: { ...heavy, dirtyRateBps: 3 * GiB, workingSetBytes: 2 * GiB, zeroFraction: 0 },
      jitter: 0,
      params: { autoConverge: true },
    });
    advanceTo(m, 1_000, 1.1 * GiB);
    m.setThrottleParams({ initial: 50, increment: 20, max: 95 });
    const percents = ofType(runToEnd(m, 1.1 * GiB), "throttle").map((e) => e.percent);
    expect(percents.slice(0, 3)).toEqual([50, 70, 90]);
    expect(m.phase).toBe("completed");
    expect(() => m.setThrottleParams({ max: 100 })).toThrow(RangeError);
  });
});
