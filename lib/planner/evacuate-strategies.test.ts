// Issue 17: the strategies beyond auto-converge. A VM that converges with neither plain pre-copy nor
// auto-converge is placed only when the window's policy allows post-copy (shared storage only), and
// an unplaced VM's reason names every strategy and why each failed.
import { describe, expect, it } from "vitest";
import { baseInput, checkPlan, GiB, host, MiB, rng, vm } from "@/tests/support/evacuation-kit";
import { planEvacuation } from "./evacuate";
import { classify, MoveModel, switchAfterMs } from "./evacuate-model";
import { tightLowerBound } from "./tight-bound";

const NIC_1G = (1e9 * 0.94) / 8;
// A memory-bandwidth-bound writer: 16 GiB/s over a 1 GbE link is λ > 100, so even auto-converge's
// 99 % throttle leaves it dirtying faster than the link sends (A.4: D·(1 − 0.99) > B).
const hot = (over = {}) =>
  vm("hot", "s", { memoryBytes: 8 * GiB, dirtyRateBps: 16 * GiB, workingSetBytes: 4 * GiB, ...over });
const hosts = () => [
  host("s", { state: "draining", nicBps: NIC_1G }),
  host("d1", { nicBps: NIC_1G }),
  host("d2", { nicBps: NIC_1G }),
];
const fleet = (over = {}) => [hot(over), ...Array.from({ length: 3 }, (_, i) => vm(`idle${i}`, "s"))];

describe("post-copy in the evacuation planner (issue 17)", () => {
  it("places a VM that converges with neither plain nor auto-converge only because the policy allows post-copy", () => {
    const input = baseInput(hosts(), fleet(), { strategies: { postCopy: true } });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.unplaced).toEqual([]);
    const m = plan.moves.find((x) => x.vmId === "hot");
    expect(m).toMatchObject({ strategy: "post-copy", autoConverge: false });
    // It switches after its first pass at the bandwidth it was planned with.
    expect(m?.switchAfterMs).toBeCloseTo(switchAfterMs(hot(), m?.bandwidthBps ?? 0), -1);
    // Post-copy sends all of RAM once plus what the first pass left dirty: longer than one pass.
    expect((m?.endMs ?? 0) - (m?.startMs ?? 0)).toBeGreaterThan(m?.switchAfterMs ?? 0);
    for (const x of plan.moves.filter((y) => y.vmId !== "hot")) expect(x.strategy).toBe("plain");
    // The tight bound still bounds it from below.
    expect(tightLowerBound(input).lowerBoundMs).toBeLessThanOrEqual(plan.makespanMs + 1);
  });

  it("without post-copy the hot VM is unplaced with a reason naming each strategy; the rest move", () => {
    const input = baseInput(hosts(), fleet(), { strategies: { postCopy: false, suspendAtEnd: true } });
    const plan = planEvacuation(input);
    expect(checkPlan(input, plan)).toEqual([]);
    expect(plan.moves.map((m) => m.vmId).sort()).toEqual(["idle0", "idle1", "idle2"]);
    const reason = plan.unplaced.find((u) => u.vmId === "hot")?.reason ?? "";
    expect(reason).toMatch(/plain: .*never converges/);
    expect(reason).toMatch(/auto-converge: Even at the 99 % throttle cap/);
    expect(reason).toMatch(/suspend-at-end: The guest is paused .* over the 300 ms downtime budget/);
    expect(reason).toMatch(/post-copy: the window's policy does not allow it/);
  });

  it("post-copy is no candidate for a VM whose disks are copied (storage not shared)", () => {
    const input = baseInput(hosts(), fleet({ copyStorageBytes: 20 * GiB }), { strategies: { postCopy: true } });
    const plan = planEvacuation(input);
    expect(plan.moves.some((m) => m.vmId === "hot")).toBe(false);
    expect(plan.unplaced.find((u) => u.vmId === "hot")?.reason).toMatch(/post-copy: copies local disks/);
  });

  it("keeps plain pre-copy whenever it converges; otherwise takes the fastest strategy allowed", () => {
    const all = { strategies: { postCopy: true, suspendAtEnd: true } };
    const calm = vm("calm", "s", { memoryBytes: 8 * GiB, dirtyRateBps: 20 * MiB, workingSetBytes: 256 * MiB });
    expect(planEvacuation(baseInput(hosts(), [calm], all)).moves[0]?.strategy).toBe("plain");
    // 400 MiB/s over 1 GbE: auto-converge must throttle it for minutes; post-copy is done in one
    // pass plus its 4 GiB hot set.
    const warm = vm("warm", "s", { memoryBytes: 8 * GiB, dirtyRateBps: 400 * MiB, workingSetBytes: 4 * GiB });
    const model = new MoveModel(300);
    const ac = model.estimate(warm, NIC_1G, "auto-converge");
    const pc = model.estimate(warm, NIC_1G, "post-copy");
    expect(ac).not.toBeNull();
    expect(pc?.ms).toBeLessThan(ac?.ms ?? 0);
    expect(planEvacuation(baseInput(hosts(), [warm], all)).moves[0]?.strategy).toBe("post-copy");
    expect(planEvacuation(baseInput(hosts(), [warm])).moves[0]?.strategy).toBe("auto-converge");
  });
});

describe("suspend-at-end (issue 17)", () => {
  const model = (budgetMs: number) => new MoveModel(budgetMs);
  const calm = vm("calm", "s", { memoryBytes: 8 * GiB, dirtyRateBps: 300 * MiB, workingSetBytes: 256 * MiB });

  it("is a candidate only when the pause it predicts fits the downtime budget", () => {
    const bw = NIC_1G;
    // Hot set 256 MiB at 117.5 MB/s ≈ 2.3 s of pause (+ device state).
    const within = model(3000).estimate(calm, bw, "suspend-at-end");
    const firstPass = switchAfterMs(calm, bw);
    expect(within?.ms).toBeGreaterThan(firstPass + 2000);
    expect(within?.ms).toBeLessThan(firstPass + 3000);
    expect(model(1000).estimate(calm, bw, "suspend-at-end")).toBeNull();
    expect(model(1000).explain(calm, bw, "suspend-at-end")).toMatch(/over the 1000 ms downtime budget/);
  });

  it("never places a VM plain pre-copy cannot: a pause within the budget means QEMU's own switchover fires too (random VMs)", () => {
    // QEMU switches over once what is dirty would cross within max downtime, which the drain sets to
    // the window's budget; so suspend-at-end within that budget is plain pre-copy's own ending.
    const r = rng(17);
    const all = { autoConverge: false, postCopy: false, suspendAtEnd: true };
    for (let i = 0; i < 300; i++) {
      const v = vm(`v${i}`, "s", {
        memoryBytes: r.int(1, 64) * GiB,
        dirtyRateBps: r.int(1, 4000) * MiB,
        workingSetBytes: r.int(16, 8192) * MiB,
      });
      const m = model(r.int(100, 5000));
      const bw = [NIC_1G, (10e9 * 0.94) / 8][r.int(0, 1)] as number;
      if (m.estimate(v, bw, "suspend-at-end")) expect(m.estimate(v, bw, "plain"), v.id).not.toBeNull();
      const c = classify(m, v, bw, bw, all);
      if (c.ok) expect(c.cls.mode).toBe("plain");
    }
  });
});
