import { describe, expect, it } from "vitest";
import { mostFreeRamAllAtOnce, serialOneAtATime } from "./baselines";
import { planEvacuation } from "./evacuate";
import {
  baseInput,
  checkPlan,
  GiB,
  host,
  MiB,
  NIC_10G,
  NIC_25G,
  randomFleet,
  rng,
  vm,
} from "@/tests/support/evacuation-kit";
import { movePrerequisites, readyToStart } from "./evacuate-deps";
import { Ledger } from "./evacuate-place";
import { runPrechecks } from "./prechecks";

const overlaps = (a: { startMs: number; endMs: number }, b: { startMs: number; endMs: number }) =>
  a.startMs < b.endMs && b.startMs < a.endMs;

describe("planEvacuation: the rules hold on random fleets", () => {
  it("never exceeds capacity at any instant, respects limits, anti-affinity and pre-checks, accounts for every VM (200 seeded fleets)", () => {
    let moved = 0;
    let unplaced = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const input = randomFleet(seed);
      const plan = planEvacuation(input);
      expect(checkPlan(input, plan), `seed ${seed}`).toEqual([]);
      moved += plan.moves.length;
      unplaced += plan.unplaced.length;
    }
    // The generator makes both outcomes common, so the property is exercised on both sides.
    expect(moved).toBeGreaterThan(500);
    expect(unplaced).toBeGreaterThan(100);
  });

  it("is deterministic: the same input gives the same plan, whatever the order of the hosts", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const input = randomFleet(seed);
      const a = planEvacuation(input);
      expect(planEvacuation(structuredClone(input))).toEqual(a);
      expect(planEvacuation({ ...input, hosts: [...input.hosts].reverse() })).toEqual(a);
    }
  });

  it("checks capacity exactly like runPrechecks (RAM and vCPU room after reservations)", () => {
    const r = rng(9);
    for (let i = 0; i < 300; i++) {
      const h = host("d", { memoryFreeBytes: r.int(0, 16) * GiB, cores: r.int(1, 8), vcpusInUse: r.int(0, 30) });
      const v = vm("v", "s", { memoryBytes: r.int(1, 8) * GiB, vcpus: r.int(1, 8) });
      const ledger = new Ledger([h]);
      const reservedBytes = r.int(0, 8) * GiB;
      const reservedVcpus = r.int(0, 8);
      ledger.reserve("d", reservedBytes, reservedVcpus, null);
      const pre = runPrechecks({
        vm: { ...v, disks: [] },
        liveState: "running",
        source: { ...host("s"), status: "active" },
        dest: { ...h, status: "active" },
        load: { reachable: true, reservedBytes, reservedVcpus, vcpusInUse: h.vcpusInUse },
        alreadyMigrating: false,
      });
      const ok = pre.checks.filter((c) => c.id === "memory" || c.id === "vcpu-room").every((c) => c.ok);
      expect(ledger.room(v, h) === "ok").toBe(ok);
    }
  });
});

describe("planEvacuation: placement", () => {
  it("the reported pile-up: ten 1 GiB VMs, one destination with room for five → five moves, five listed, no overload; baseline (a) overloads it", () => {
    const hosts = [
      host("src", { state: "draining", memoryFreeBytes: 53 * GiB }),
      host("dst", { cores: 8, memoryFreeBytes: 5632 * MiB }),
    ];
    const vms = Array.from({ length: 10 }, (_, i) => vm(`pile-${i + 1}`, "src", { memoryBytes: GiB, vcpus: 1 }));
    const input = baseInput(hosts, vms);
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves).toHaveLength(5);
    expect(plan.unplaced).toHaveLength(5);
    for (const u of plan.unplaced) expect(u.reason).toMatch(/no destination has room for 1\.0 GiB.*lack RAM/);
    const a = mostFreeRamAllAtOnce(input);
    expect(a.moves).toHaveLength(10);
    expect(a.moves.every((m) => m.destHostId === "dst" && m.startMs === 0)).toBe(true);
    expect(checkPlan(input, a).filter((v) => /holds .* of reservations/.test(v)).length).toBeGreaterThan(0);
    // Half of them cannot fit: 5.5 GiB free, 10 GiB sent at once.
    const ordered = [...a.moves].sort((x, y) => x.order - y.order);
    const overloaded = ordered.filter((_, i) => (i + 1) * GiB > 5632 * MiB);
    expect(overloaded).toHaveLength(5);
  });

  it("spreads across destinations instead of piling onto the most-free host", () => {
    const hosts = [
      host("s", { state: "draining" }),
      host("big", { memoryFreeBytes: 500 * GiB }),
      host("d1", { memoryFreeBytes: 100 * GiB }),
      host("d2", { memoryFreeBytes: 100 * GiB }),
    ];
    const vms = Array.from({ length: 12 }, (_, i) => vm(`v${i}`, "s", { memoryBytes: 8 * GiB }));
    const plan = planEvacuation(baseInput(hosts, vms, { maxInboundPerDest: 1 }));
    const per = new Map<string, number>();
    for (const m of plan.moves) per.set(m.destHostId, (per.get(m.destHostId) ?? 0) + 1);
    expect(per.size).toBe(3);
    expect(Math.max(...per.values())).toBeLessThan(12);
  });

  it("anti-affinity: members never share a host, including VMs already there and in-flight ones", () => {
    const hosts = [
      host("s", { state: "draining" }),
      host("a", { antiAffinityGroups: ["db"] }),
      host("b"),
      host("c"),
      host("d"),
    ];
    const vms = ["x", "y", "z", "w"].map((id) => vm(id, "s", { antiAffinityGroup: "db" }));
    const inflight = [
      { sourceHostId: "zz", destHostId: "b", memoryBytes: GiB, vcpus: 1, remainingMs: 5000, antiAffinityGroup: "db" },
    ];
    const input = baseInput(hosts, vms, { inflight });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves.map((m) => m.destHostId).sort()).toEqual(["c", "d"]);
    expect(plan.unplaced).toHaveLength(2);
    for (const u of plan.unplaced) expect(u.reason).toMatch(/already hold anti-affinity group 'db'/);
  });

  it("lists unplaceable VMs with the reason: CPU, cores, room, no active host", () => {
    const hosts = [
      host("s", { state: "draining", cpuModel: "Icelake-Server" }),
      host("old", { cpuModel: "Cascadelake-Server", cores: 64 }),
      host("amd", { cpuModel: "EPYC-Milan", cores: 64 }),
      host("x", { state: "excluded", cpuModel: "Icelake-Server" }),
    ];
    const plan = planEvacuation(baseInput(hosts, [vm("v", "s")]));
    expect(plan.unplaced[0]?.reason).toMatch(/CPU model Icelake-Server is incompatible with every active host/);

    const h2 = [host("s", { state: "draining" }), host("d", { cores: 8 })];
    expect(planEvacuation(baseInput(h2, [vm("big", "s", { vcpus: 16 })])).unplaced[0]?.reason).toMatch(
      /16 vCPUs: more than the cores of any active host \(at most 8\)/,
    );
    expect(planEvacuation(baseInput(h2, [vm("fat", "s", { memoryBytes: 512 * GiB })])).unplaced[0]?.reason).toMatch(
      /no destination has room for 512 GiB/,
    );
    const cpu = planEvacuation(
      baseInput(
        [host("s", { state: "draining" }), host("d", { cores: 2, vcpusInUse: 8 })],
        [vm("v", "s", { vcpus: 2 })],
      ),
    );
    expect(cpu.unplaced[0]?.reason).toMatch(/lack vCPU room/);
    const h3 = [host("s", { state: "draining" }), host("t", { state: "draining" }), host("u", { state: "excluded" })];
    expect(planEvacuation(baseInput(h3, [vm("v", "s")])).unplaced[0]?.reason).toMatch(
      /every other host is draining or excluded/,
    );
    const h4 = [host("s", { state: "draining", libvirtVersion: "9.0.0" }), host("d", { libvirtVersion: "8.0.0" })];
    expect(planEvacuation(baseInput(h4, [vm("v", "s")])).unplaced[0]?.reason).toMatch(/libvirt not older/);
  });
});

describe("planEvacuation: convergence and scheduling", () => {
  const two = () => [host("s", { state: "draining" }), host("d1"), host("d2"), host("d3")];

  it("a VM that converges only alone runs alone on its link; low-dirty VMs are packed in parallel", () => {
    // 250 MiB/s on 10 GbE: λ ≈ 0.22 alone, ≈ 0.45 when sharing, which costs more re-sends than
    // the 1.5 s overhead sharing would hide.
    const vms = [
      vm("db", "s", { kind: "database", memoryBytes: 16 * GiB }),
      ...Array.from({ length: 6 }, (_, i) => vm(`idle${i}`, "s")),
    ];
    const input = baseInput(two(), vms);
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    const db = plan.moves.find((m) => m.vmId === "db");
    expect(db?.order).toBe(0);
    for (const m of plan.moves) if (m !== db && db) expect(overlaps(m, db)).toBe(false);
    const idles = plan.moves.filter((m) => m.vmId.startsWith("idle"));
    expect(idles.some((a) => idles.some((b) => a !== b && overlaps(a, b)))).toBe(true);
    // Executing it: nothing may start beside the db, although a slot is free while it runs.
    const pre = movePrerequisites(plan);
    for (const m of idles) expect(pre.get(m.vmId)?.endedFirst).toContain("db");
    expect(readyToStart(pre.get("db"), new Set(), new Set())).toBe(true);
    expect(readyToStart(pre.get(idles[0]?.vmId ?? ""), new Set(), new Set(["db"]))).toBe(false);
  });

  it("non-converging VMs get auto-converge by policy, or are flagged and listed without a slot", () => {
    const vms = [vm("stress", "s", { kind: "stress", memoryBytes: 64 * GiB }), vm("idle", "s")];
    const on = planEvacuation(baseInput(two(), vms));
    const m = on.moves.find((x) => x.vmId === "stress");
    expect(m?.autoConverge).toBe(true);
    expect(on.moves.find((x) => x.vmId === "idle")?.autoConverge).toBe(false);
    expect(on.flagged).toEqual([]);
    const off = planEvacuation(baseInput(two(), vms, { autoConvergeWhenNeeded: false }));
    expect(off.moves.map((x) => x.vmId)).toEqual(["idle"]);
    expect(off.flagged.map((f) => f.vmId)).toEqual(["stress"]);
    expect(off.flagged[0]?.reason).toMatch(/auto-converge: the window.s policy does not allow it/);
    expect(off.unplaced.map((u) => u.vmId)).toEqual(["stress"]);
  });

  it("in-flight migrations hold capacity on their destination and a slot on their source until they end", () => {
    const hosts = [host("s", { state: "draining" }), host("d", { memoryFreeBytes: 10 * GiB })];
    const inflight = [{ sourceHostId: "s", destHostId: "d", memoryBytes: 6 * GiB, vcpus: 2, remainingMs: 20_000 }];
    const vms = [
      vm("a", "s", { memoryBytes: 2 * GiB }),
      vm("b", "s", { memoryBytes: 2 * GiB }),
      vm("c", "s", { memoryBytes: 2 * GiB }),
    ];
    const input = baseInput(hosts, vms, { inflight, maxOutboundPerSource: 1, maxInboundPerDest: 2 });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves).toHaveLength(2);
    expect(plan.unplaced).toHaveLength(1);
    expect(plan.moves[0]?.startMs).toBe(20_000);
  });

  it("per-source and per-destination limits: with 1 and 1 the moves of one source never overlap", () => {
    const vms = Array.from({ length: 6 }, (_, i) => vm(`v${i}`, "s"));
    const input = baseInput(two(), vms, { maxOutboundPerSource: 1, maxInboundPerDest: 1 });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    for (const a of plan.moves) for (const b of plan.moves) if (a !== b) expect(overlaps(a, b)).toBe(false);
  });

  it("on 25 GbE with a 2.5 GB/s stream cap, low-dirty fillers use what a capped stream leaves and end before it", () => {
    const hosts = [
      host("s", { state: "draining", nicBps: NIC_25G }),
      ...["a", "b", "c"].map((id) => host(id, { nicBps: NIC_25G })),
    ];
    const vms = [
      vm("db", "s", { kind: "database", memoryBytes: 32 * GiB }),
      ...Array.from({ length: 4 }, (_, i) => vm(`idle${i}`, "s")),
    ];
    const input = baseInput(hosts, vms, { perStreamCapBps: 2.5e9, fixedOverheadMs: 30 });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    const db = plan.moves.find((m) => m.vmId === "db");
    const fillers = plan.moves.filter((m) => m.maxBandwidthBps !== undefined);
    expect(fillers.length).toBeGreaterThan(0);
    for (const f of fillers) {
      expect(f.maxBandwidthBps).toBeCloseTo(NIC_25G - 2.5e9, -6);
      expect(f.endMs).toBeLessThanOrEqual(db?.endMs ?? 0);
    }
    expect(db?.bandwidthBps).toBeCloseTo(2.5e9, -7);
  });

  it("a mid-size fleet (3 of 15 hosts drained, 36 VMs, 25 GbE) plans within 1.15 × LB", () => {
    const r = rng(2024);
    const hosts = Array.from({ length: 15 }, (_, i) =>
      host(`h${i}`, { state: i < 3 ? "draining" : "active", nicBps: NIC_25G, memoryFreeBytes: 192 * GiB, cores: 64 }),
    );
    const vms = Array.from({ length: 36 }, (_, i) => {
      const kind = r.pick(["idle", "idle", "web", "web", "database"] as const);
      return vm(`v${i}`, `h${i % 3}`, { kind, memoryBytes: r.pick(kind === "database" ? [8, 16] : [2, 4, 8]) * GiB });
    });
    const input = baseInput(hosts, vms, { perStreamCapBps: 2.5e9, fixedOverheadMs: 30 });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves).toHaveLength(36);
    expect(plan.ratioToLowerBound).toBeGreaterThanOrEqual(1);
    expect(plan.ratioToLowerBound).toBeLessThanOrEqual(1.15);
  });

  it("10 GbE single source: never slower than the serial schedule", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const r = rng(seed);
      const vms = Array.from({ length: 10 }, (_, i) =>
        vm(`v${i}`, "s", {
          kind: r.pick(["idle", "web", "database"] as const),
          memoryBytes: r.pick([2, 4, 8, 16]) * GiB,
        }),
      );
      const input = baseInput(
        [host("s", { state: "draining", nicBps: NIC_10G }), host("a"), host("b"), host("c")],
        vms,
        { fixedOverheadMs: 30 },
      );
      const serial = vms.reduce((t, v) => {
        const p = planEvacuation({ ...input, vms: [v] });
        return t + p.makespanMs;
      }, 0);
      expect(planEvacuation(input).makespanMs).toBeLessThanOrEqual(serial * 1.01);
    }
  });
});

describe("planEvacuation: no head-of-line blocking (issue 17)", () => {
  // Three hosts: the 25 GbE destination has no room for the hot database, the 10 GbE one has room
  // but pre-copy cannot converge there (λ > 1). The database heads the source's queue.
  const hosts = [
    host("s", { state: "draining", nicBps: NIC_25G }),
    host("fast", { nicBps: NIC_25G, memoryFreeBytes: 12 * GiB }),
    host("slow", { nicBps: NIC_10G }),
  ];
  const vms = [
    vm("db", "s", { kind: "database", memoryBytes: 32 * GiB, dirtyRateBps: 1.2 * GiB, workingSetBytes: 8 * GiB }),
    ...Array.from({ length: 5 }, (_, i) => vm(`idle${i}`, "s")),
  ];

  it("places every VM that can be placed, choosing auto-converge on the destination that needs it", () => {
    const input = baseInput(hosts, vms);
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves).toHaveLength(6);
    const db = plan.moves.find((m) => m.vmId === "db");
    expect(db).toMatchObject({ destHostId: "slow", autoConverge: true });
  });

  it("without auto-converge the database is listed with its own reason and the five others move", () => {
    const input = baseInput(hosts, vms, { autoConvergeWhenNeeded: false });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves.map((m) => m.vmId).sort()).toEqual(["idle0", "idle1", "idle2", "idle3", "idle4"]);
    expect(plan.unplaced).toHaveLength(1);
    expect(plan.unplaced[0]?.reason).toMatch(/db|pre-copy never converges/);
    expect(plan.unplaced[0]?.reason).toMatch(/auto-converge: the window.s policy does not allow it/);
    for (const u of plan.unplaced) expect(u.reason).not.toMatch(/after 0 passes/);
  });

  it("places at least what the serial one-at-a-time baseline places (200 seeded fleets)", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const input = randomFleet(seed);
      const placed = planEvacuation(input).moves.length;
      expect(placed, `seed ${seed}`).toBeGreaterThanOrEqual(serialOneAtATime(input).moves.length);
    }
  });
});

describe("planEvacuation: in-flight memory counted once (issue 17)", () => {
  it("reserves only what has not yet arrived of a migration into the destination: its reported free RAM is already net of the rest", () => {
    // d reports 131 GiB free while two 64 GiB guests migrate into it, 60 GiB of each already there.
    const hosts = [host("s", { state: "draining" }), host("d", { memoryFreeBytes: 131 * GiB, cores: 64 })];
    const inflight = [0, 1].map(() => ({
      sourceHostId: "x",
      destHostId: "d",
      memoryBytes: 64 * GiB,
      vcpus: 4,
      remainingMs: 4000,
      arrivedBytes: 60 * GiB,
    }));
    const vms = Array.from({ length: 16 }, (_, i) => vm(`v${i}`, "s", { memoryBytes: 7 * GiB }));
    const input = baseInput(hosts, vms, { inflight });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves).toHaveLength(16);
    // Nothing arrived yet: the whole 128 GiB is still to come and only 3 GiB is left for the plan.
    const none = planEvacuation({ ...input, inflight: inflight.map((f) => ({ ...f, arrivedBytes: 0 })) });
    expect(none.moves).toHaveLength(0);
    expect(none.unplaced[0]?.reason).toMatch(/most free after reservations: 3\.0 GiB/);
  });
});

describe("executing a plan: a move starts when its link share is free (issue 17)", () => {
  const move = (vmId: string, src: string, dst: string, startMs: number, endMs: number, order: number) => ({
    vmId,
    vmName: vmId,
    sourceHostId: src,
    destHostId: dst,
    startMs,
    endMs,
    bandwidthBps: 1e9,
    autoConverge: false,
    strategy: "plain" as const,
    lambda: 0,
    order,
  });

  it("waits for a related move the plan ends during this one's setup, not only before its start", () => {
    // b starts when a ends; c is planned 26 ms before d's end on the same source: in the plan c
    // never shares the link with d (it sends nothing during its 1.5 s setup), so it must wait for d.
    const plan = {
      moves: [
        move("a", "s", "x", 0, 10_000, 0),
        move("d", "s", "y", 0, 10_026, 1),
        move("c", "s", "z", 10_000, 40_000, 2),
      ],
    };
    const pre = movePrerequisites(plan); // as the worker calls it: the default setup (1.5 s)
    expect(pre.get("c")?.endedFirst.sort()).toEqual(["a", "d"]);
    // a ended early (its trigger): c still waits while d runs.
    expect(readyToStart(pre.get("c"), new Set(["a"]), new Set(["a", "d"]))).toBe(false);
    expect(readyToStart(pre.get("c"), new Set(["a", "d"]), new Set(["a", "d"]))).toBe(true);
  });

  it("a move the plan overlaps for real (beyond the setup) may still run alongside", () => {
    const plan = {
      moves: [
        move("a", "s", "x", 0, 10_000, 0),
        move("d", "s", "y", 0, 30_000, 1),
        move("c", "s", "z", 10_000, 40_000, 2),
      ],
    };
    expect(movePrerequisites(plan).get("c")?.endedFirst).toEqual(["a"]);
  });
});

describe("planEvacuation: destination-bound drains fill the source's spare egress (issue 17)", () => {
  it("a 25 GbE source draining into 10 GbE hosts adds a filler capped at what the two streams leave", () => {
    const hosts = [
      host("s", { state: "draining", nicBps: NIC_25G }),
      ...["a", "b", "c", "d"].map((id) => host(id, { nicBps: NIC_10G })),
    ];
    const vms = [
      vm("db1", "s", { kind: "database", memoryBytes: 32 * GiB }),
      vm("db2", "s", { kind: "database", memoryBytes: 32 * GiB }),
      ...Array.from({ length: 6 }, (_, i) => vm(`idle${i}`, "s")),
    ];
    const input = baseInput(hosts, vms, { maxOutboundPerSource: 4, maxInboundPerDest: 1, fixedOverheadMs: 30 });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    const fillers = plan.moves.filter((m) => m.maxBandwidthBps !== undefined);
    expect(fillers.length).toBeGreaterThan(0);
    for (const f of fillers) expect(f.maxBandwidthBps).toBeCloseTo(NIC_25G - 2 * NIC_10G, -6);
  });
});
