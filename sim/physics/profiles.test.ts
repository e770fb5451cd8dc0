import { describe, expect, it } from "vitest";
import { workloadProfile } from "./profiles";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

describe("workloadProfile", () => {
  it("stress = the reported guest: 2 GiB hot set rewritten at 2-3 GiB/s, faster than 10 GbE sends", () => {
    const w = workloadProfile("stress", 72_000 * MiB);
    expect(w.workingSetBytes).toBe(2 * GiB);
    expect(w.dirtyRateBps).toBeGreaterThanOrEqual(2 * GiB);
    expect(w.dirtyRateBps).toBeLessThanOrEqual(3 * GiB);
    expect(w.dirtyRateBps).toBeGreaterThan(1.16 * GiB);
    expect(w.cpuBound).toBe(true);
    expect(w.vcpus).toBe(8);
    expect(w.zeroFraction).toBeGreaterThan(0.9); // a 72,000 MiB guest touches only a few GiB
  });

  it("idle, web and database sit in their documented ranges", () => {
    const idle = workloadProfile("idle", 4 * GiB);
    const web = workloadProfile("web", 8 * GiB);
    const db = workloadProfile("database", 32 * GiB);
    expect(idle.dirtyRateBps).toBeLessThan(10 * MiB);
    expect(web.dirtyRateBps).toBeGreaterThanOrEqual(10 * MiB);
    expect(web.dirtyRateBps).toBeLessThan(100 * MiB);
    expect(web.workingSetBytes).toBeGreaterThanOrEqual(100 * MiB);
    expect(web.workingSetBytes).toBeLessThan(1 * GiB);
    expect(db.dirtyRateBps).toBeGreaterThanOrEqual(100 * MiB);
    expect(db.dirtyRateBps).toBeLessThanOrEqual(400 * MiB);
    expect(db.workingSetBytes).toBeGreaterThanOrEqual(1 * GiB);
  });

  it("keeps the hot set and the non-zero memory inside RAM for small guests", () => {
    for (const name of ["idle", "web", "database", "stress"] as const) {
      for (const mem of [256 * MiB, 1 * GiB, 512 * GiB]) {
        const w = workloadProfile(name, mem);
        expect(w.workingSetBytes).toBeLessThanOrEqual(mem);
        expect(w.zeroFraction).toBeGreaterThanOrEqual(0);
        expect(w.zeroFraction).toBeLessThan(1);
        expect(w.workingSetBytes).toBeLessThanOrEqual(mem * (1 - w.zeroFraction) + 1);
      }
    }
    expect(() => workloadProfile("idle", 0)).toThrow(RangeError);
  });
});
