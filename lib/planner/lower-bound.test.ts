import { describe, expect, it } from "vitest";
import { planEvacuation } from "./evacuate";
import { baseInput, GiB, host, randomFleet, vm } from "@/tests/support/evacuation-kit";
import { evacuationLowerBound, lowerBoundDetail, resendAwareLowerBound } from "./lower-bound";

// Round numbers: NICs of 1 GB/s, VMs of 4 and 2 GB sent (transferBytes), no dirtying needed here.
const G = 1e9;
const src = (id = "s", nic = G) => host(id, { state: "draining", nicBps: nic });
const dst = (id: string, nic = G) => host(id, { nicBps: nic });
const v = (id: string, bytes: number, on = "s", extra = {}) =>
  vm(id, on, { transferBytes: bytes, memoryBytes: 8 * GiB, ...extra });
const lb = (hosts: ReturnType<typeof host>[], vms: ReturnType<typeof vm>[], over = {}) =>
  evacuationLowerBound({ hosts, vms, maxOutboundPerSource: 2, fixedOverheadMs: 1500, ...over });

describe("evacuationLowerBound (C.3)", () => {
  it("source egress binds: ΣM / B_src + overhead", () => {
    // max(6e9 / min(1e9, 2e9, ∞), 4e9 / 1e9) + 1.5 s = 6 + 1.5; slots: (1.5 + 4 + 1.5 + 2) / 2 = 4.5
    expect(lb([src(), dst("a"), dst("b")], [v("x", 4 * G), v("y", 2 * G)])).toBeCloseTo(7500, 6);
  });

  it("k·b binds when the stream cap times the concurrency is below the NIC", () => {
    // min(1e9, 2e9, 2 × 0.4e9) = 0.8e9 → 7.5 s; largest 4e9 / min(0.4e9, 1e9) = 10 s → 10 + 1.5
    expect(lb([src(), dst("a"), dst("b")], [v("x", 4 * G), v("y", 2 * G)], { perStreamCapBps: 0.4e9 })).toBeCloseTo(
      11_500,
      6,
    );
    // k = 1, b = 0.75e9: 6e9 / 0.75e9 = 8 s ≥ 4e9 / 0.75e9 = 5.33 s; slots (1.5 + 5.33 + 1.5 + 2.67) / 1 = 11 s
    expect(
      lb([src(), dst("a"), dst("b")], [v("x", 4 * G), v("y", 2 * G)], {
        perStreamCapBps: 0.75e9,
        maxOutboundPerSource: 1,
      }),
    ).toBeCloseTo(11_000, 6);
  });

  it("destination ingress binds: ΣB_j of the active hosts (draining and excluded ones do not receive)", () => {
    const hosts = [
      src("s", 10 * G),
      dst("a", 0.5 * G),
      host("x", { state: "excluded", nicBps: 100 * G }),
      host("t", { state: "draining", nicBps: 100 * G }),
    ];
    expect(lb(hosts, [v("x", 4 * G), v("y", 2 * G)])).toBeCloseTo(12_000 + 1500, 6);
  });

  it("largest VM binds: max M_i / min(b, B_src)", () => {
    expect(lb([src(), dst("a"), dst("b")], [v("x", 9 * G), v("y", 0.5 * G)], { fixedOverheadMs: 0 })).toBeCloseTo(
      9500,
      6,
    );
    expect(
      lb([src("s", 10 * G), dst("a", 10 * G)], [v("x", 9 * G), v("y", 0.5 * G)], {
        fixedOverheadMs: 0,
        perStreamCapBps: G,
      }),
    ).toBeCloseTo(9000, 6);
  });

  it("per-VM overhead through the slots: many tiny VMs are bounded by k slots of overhead each", () => {
    const vms = Array.from({ length: 10 }, (_, i) => v(`t${i}`, 0.1 * G));
    // volume 1 s + 1.5 s = 2.5 s; slots: 10 × (1.5 + 0.1) / 2 = 8 s
    expect(lb([src(), dst("a"), dst("b")], vms)).toBeCloseTo(8000, 6);
  });

  it("several sources drain in parallel: the max over sources, and the shared destinations' ingress", () => {
    const hosts = [src("s1"), src("s2"), dst("a")];
    const vms = [v("x", 4 * G, "s1"), v("y", 3 * G, "s2")];
    const d = lowerBoundDetail({ hosts, vms, maxOutboundPerSource: 2, fixedOverheadMs: 0 });
    expect(d.perSource.map((s) => s.volumeMs)).toEqual([4000, 3000]);
    // Both sources push into one 1 GB/s ingress: (4 + 3) GB / 1 GB/s.
    expect(d.destinationsMs).toBeCloseTo(7000, 6);
    expect(d.lowerBoundMs).toBeCloseTo(7000, 6);
  });

  it("counts copied disks and uses first-pass bytes (transferBytes), not configured RAM", () => {
    expect(
      lb([src(), dst("a")], [v("x", 1 * G, "s", { copyStorageBytes: 3 * G })], { fixedOverheadMs: 0 }),
    ).toBeCloseTo(4000, 6);
    expect(
      lb([src(), dst("a")], [vm("r", "s", { memoryBytes: 2 * G, transferBytes: undefined })], { fixedOverheadMs: 0 }),
    ).toBeCloseTo(2000, 6);
  });

  it("is 0 for nothing to move, and no plan ever beats it (nor the resend-aware variant)", () => {
    expect(lb([src(), dst("a")], [])).toBe(0);
    for (let seed = 1; seed <= 60; seed++) {
      const input = randomFleet(seed);
      const plan = planEvacuation(input);
      if (plan.moves.length === 0) continue;
      const moved = { ...input, vms: input.vms.filter((x) => plan.moves.some((m) => m.vmId === x.id)) };
      const bound = evacuationLowerBound(moved);
      // The plan's own bound is the tight one (tight-bound.ts), never below C.3's.
      expect(plan.lowerBoundMs).toBeGreaterThanOrEqual(bound * (1 - 1e-9));
      expect(plan.makespanMs).toBeGreaterThanOrEqual(bound * (1 - 1e-9));
      expect(resendAwareLowerBound(moved)).toBeGreaterThanOrEqual(bound * (1 - 1e-9));
    }
  });

  it("the resend-aware variant adds what a dirty guest re-sends even alone", () => {
    const hosts = [src("s", 1.175e9), dst("a", 1.175e9)];
    const vms = [vm("db", "s", { kind: "database", memoryBytes: 16 * GiB })];
    const input = baseInput(hosts, vms, { fixedOverheadMs: 0 });
    expect(resendAwareLowerBound(input)).toBeGreaterThan(evacuationLowerBound(input) * 1.2);
  });
});
