import { describe, expect, it } from "vitest";
import { measureDirtyRateMiBps } from "@/sim/physics/dirty-rate";
import { dirtyWindowPlan, readDirtyWindows } from "./dirty-sampling";
import { launchVerdict } from "./launch-verdict";
import { GIB, MIB } from "./types";

// The verdict on 50 independent measurements of one guest (the simulator's calc-dirty-rate: QEMU's
// page sampling, whole MiB/s), as the console makes it before launch.
function verdicts(g: { ram: number; send: number; D: number; W: number; capBps: number; maxDowntimeMs: number }) {
  const tally = { go: 0, "no-go": 0, uncertain: 0 };
  const workload = { dirtyRateBps: g.D, workingSetBytes: g.W, zeroFraction: 0, cpuBound: true };
  for (let k = 0; k < 50; k++) {
    const windows = dirtyWindowPlan(g.send / g.capBps).map((s, j) => ({
      seconds: s,
      bytesPerSecond: measureDirtyRateMiBps(workload, 0, false, s, 1000 * k + 100 * j + s, g.ram) * MIB,
    }));
    const e = readDirtyWindows(windows, g.ram, g.send);
    const state = {
      memoryBytes: g.send,
      zeroBytes: g.ram - g.send,
      pendingBytes: null,
      dirtyRateBps: e.dirtyRateBps,
      workingSetBytes: e.workingSetBytes,
      pathBps: 10 * GIB,
      capBps: g.capBps,
      maxDowntimeMs: g.maxDowntimeMs,
      autoConverge: null,
      throttlePct: 0,
    };
    tally[launchVerdict(state, e).verdict]++;
  }
  return tally;
}

describe("launchVerdict on measured windows", () => {
  it("never says GO for a small hot set rewritten within 1 s, which no window shows filling", () => {
    // 35 MiB rewritten at 700 MiB/s in a 2 GiB guest: the 1 s and 2 s windows read 36 and 17 MiB/s,
    // which look like a 17 MiB/s writer. Under a 600 MiB/s cap and a 39 ms limit it never converges
    // (35 MiB needs 58 ms); it was given a GO in 39 of 50 measurements.
    const v = verdicts({
      ram: 2 * GIB,
      send: 900 * MIB,
      D: 700 * MIB,
      W: 35 * MIB,
      capBps: 600 * MIB,
      maxDowntimeMs: 39,
    });
    expect(v.go).toBe(0);
  });

  it("still says GO for a steady slow writer (the lab's 2 MiB/s writer on a 256 MiB guest, 8 MiB/s cap)", () => {
    const v = verdicts({
      ram: 256 * MIB,
      send: 100 * MIB,
      D: 2 * MIB,
      W: 32 * MIB,
      capBps: 8 * MIB,
      maxDowntimeMs: 300,
    });
    expect(v.go).toBeGreaterThanOrEqual(45);
  });
});
