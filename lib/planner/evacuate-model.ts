// What one move costs at a given bandwidth, from the one engine (lib/migration/predict for pre-copy
// and auto-converge, lib/migration/what-if for suspend-at-end and post-copy; migration-physics
// A.2-A.4), and the two decisions the scheduler takes from it: which strategy a VM needs on a link
// (plain pre-copy if it converges, else the fastest other one the window allows), and whether a
// bandwidth share is good enough to run it now (C.3: concurrency hurts convergence). Pure.
import { predictPrecopy } from "@/lib/migration/predict";
import { rate } from "@/lib/migration/text";
import { QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import { type WhatIfOutcome, type WhatIfState, whatIf } from "@/lib/migration/what-if";
import { type PlanInput, type PlannerVm, STRATEGIES, type Strategy } from "./evacuate-types";

/** Bytes the first pass sends. */
export const firstPassBytes = (vm: PlannerVm): number => Math.max(1, vm.transferBytes ?? vm.memoryBytes);
/** Bytes that must cross the link at least once (C.3's M_i): RAM's first pass plus copied disks. */
export const bytesToMove = (vm: PlannerVm): number => firstPassBytes(vm) + Math.max(0, vm.copyStorageBytes ?? 0);
/** When a suspend-at-end or post-copy move switches: after its disks and its first RAM pass at `bwBps`. */
export const switchAfterMs = (vm: PlannerVm, bwBps: number): number => (bytesToMove(vm) / bwBps) * 1000;

/** A finite stand-in for an unlimited link (≈ 80 Tb/s), so times stay finite. */
const MAX_BPS = 1e13;

export type Estimate = { ms: number; sentBytes: number };

/** What the window's policy lets the planner use beyond plain pre-copy. */
export type Allowed = { autoConverge: boolean; postCopy: boolean; suspendAtEnd: boolean };
export const allowedStrategies = (input: Pick<PlanInput, "autoConvergeWhenNeeded" | "strategies">): Allowed => ({
  autoConverge: input.autoConvergeWhenNeeded,
  postCopy: input.strategies?.postCopy === true,
  suspendAtEnd: input.strategies?.suspendAtEnd === true,
});
export const isAllowed = (a: Allowed, m: Strategy): boolean =>
  m === "plain" || (m === "auto-converge" ? a.autoConverge : m === "post-copy" ? a.postCopy : a.suspendAtEnd);

export class MoveModel {
  private readonly cache = new Map<string, Estimate | null>();

  constructor(readonly maxDowntimeMs: number) {}

  /** Transfer time (disk copy, then RAM) at a constant bandwidth; null = not possible that way. */
  estimate(vm: PlannerVm, bwBps: number, mode: Strategy): Estimate | null {
    const bw = Math.min(MAX_BPS, bwBps);
    if (!(bw > 0)) return null;
    // Shares are recomputed often; 0.1 MB/s buckets change a duration by < 0.01 %.
    const key = `${vm.id}\0${mode}\0${Math.round(bw / 1e5)}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const disk = Math.max(0, vm.copyStorageBytes ?? 0);
    let out: Estimate | null = null;
    if (mode === "plain" || mode === "auto-converge") {
      const p = predictPrecopy(this.precopyInput(vm, bw, mode));
      if (p.converges && p.totalTimeMs !== null) out = { ms: p.totalTimeMs, sentBytes: p.bytesSent ?? 0 };
    } else {
      const o = this.switched(vm, bw, mode);
      if (o.ok) out = { ms: o.out.totalTimeMs ?? 0, sentBytes: o.out.bytesSent ?? 0 };
    }
    if (out) out = { ms: out.ms + (disk / bw) * 1000, sentBytes: out.sentBytes + disk };
    this.cache.set(key, out);
    return out;
  }

  /** The engine's explanation at a bandwidth (for flags and unplaced reasons). */
  explain(vm: PlannerVm, bwBps: number, mode: Strategy): string {
    const bw = Math.min(MAX_BPS, bwBps);
    if (mode === "plain" || mode === "auto-converge") return predictPrecopy(this.precopyInput(vm, bw, mode)).reason;
    return this.switched(vm, bw, mode).why;
  }

  /**
   * Each strategy in order of disruption, with why it does not work at `bwBps` or is not allowed:
   * an unplaced VM's reason names all of them (issue 17).
   */
  tried(vm: PlannerVm, bwBps: number, allowed: Allowed): string {
    return STRATEGIES.map((m) => {
      if (!isAllowed(allowed, m)) return `${m}: the window's policy does not allow it`;
      return `${m}: ${this.estimate(vm, bwBps, m) ? "would work, " : ""}${this.explain(vm, bwBps, m)}`;
    }).join(" — ");
  }

  private precopyInput(vm: PlannerVm, bw: number, mode: Strategy) {
    return {
      memoryBytes: firstPassBytes(vm),
      dirtyRateBps: Math.max(0, vm.dirtyRateBps),
      ...(vm.workingSetBytes !== undefined ? { workingSetBytes: vm.workingSetBytes } : {}),
      bandwidthBps: bw,
      maxDowntimeMs: this.maxDowntimeMs,
      ...(mode === "auto-converge" ? { autoConverge: QEMU_AUTO_CONVERGE } : {}),
    };
  }

  /**
   * One pre-copy pass, then post-copy or a pause for the rest (what-if's pre-launch answer). Post-copy
   * needs shared storage: with copied disks a network failure mid-way would lose the guest's disk
   * writes as well as its RAM, so it is no candidate. Suspend-at-end only when the pause it predicts
   * (what the first pass left dirty at this bandwidth, plus device state) fits the downtime budget.
   */
  private switched(vm: PlannerVm, bw: number, mode: "post-copy" | "suspend-at-end") {
    if (mode === "post-copy" && (vm.copyStorageBytes ?? 0) > 0)
      return { ok: false as const, why: "copies local disks; post-copy needs shared storage." };
    const m = firstPassBytes(vm);
    const s: WhatIfState = {
      memoryBytes: m,
      zeroBytes: 0,
      pendingBytes: null,
      dirtyRateBps: Math.max(0, vm.dirtyRateBps),
      workingSetBytes: Math.min(vm.workingSetBytes ?? m, m),
      pathBps: bw,
      capBps: null,
      maxDowntimeMs: this.maxDowntimeMs,
      autoConverge: null,
      throttlePct: 0,
    };
    const out: WhatIfOutcome = whatIf(s, { kind: mode === "post-copy" ? "switch-to-postcopy" : "suspend-to-finish" });
    if (mode === "suspend-at-end" && (out.downtimeMs ?? 0) > this.maxDowntimeMs)
      return {
        ok: false as const,
        why: `${out.reason} That is over the ${this.maxDowntimeMs} ms downtime budget.`,
      };
    return { ok: true as const, out, why: out.reason };
  }
}

/** A VM ready to schedule: its mode and what it gets at best (alone on the link). */
export type MoveClass = {
  vm: PlannerVm;
  mode: Strategy;
  /** Most bandwidth it can ever get: min(source NIC, stream cap, best destination NIC). */
  bestBps: number;
  /** The source's egress: what a shared link still delivers in total. */
  linkBps: number;
  alone: Estimate;
};

export type Classified = { ok: true; cls: MoveClass } | { ok: false; flagged: boolean; reason: string };

export function classify(
  model: MoveModel,
  vm: PlannerVm,
  bestBps: number,
  linkBps: number,
  allowed: Allowed,
): Classified {
  let best: MoveClass | undefined;
  for (const mode of STRATEGIES) {
    if (!isAllowed(allowed, mode)) continue;
    const alone = model.estimate(vm, bestBps, mode);
    if (!alone) continue;
    // Plain pre-copy disturbs the guest least: taken whenever it converges. Otherwise the fastest
    // of the others alone on this link (the scheduler's own cost, time), ties to the less
    // disruptive: a guest throttled to 99 % for ten minutes is worse off than ten seconds of post-copy.
    if (mode === "plain") return { ok: true, cls: { vm, mode, bestBps, linkBps, alone } };
    if (!best || alone.ms < best.alone.ms) best = { vm, mode, bestBps, linkBps, alone };
  }
  if (best) return { ok: true, cls: best };
  return {
    ok: false,
    flagged: true,
    reason: `predicted not to converge even alone on the link (${rate(bestBps)}) with any strategy the window allows. ${model.tried(vm, bestBps, allowed)}. Decide: a policy that allows more, or a longer max downtime.`,
  };
}

/**
 * May this move run at `bwBps` with `remaining` of its transfer left? It must converge there, and
 * sharing must not cost more link time than it saves: running alone wastes the setup/switchover gap
 * (overhead) and whatever a capped stream leaves of the link; sharing re-sends more dirty pages
 * (λ = D/B grows). Other strategies run alone: a shared link only deepens auto-converge's throttle,
 * lengthens a suspended guest's pause, or a post-copy guest's time on remote page faults.
 * `convergeOnly` accepts any share at which it still converges (an idle source's last resort).
 */
export function shareAcceptable(
  model: MoveModel,
  c: MoveClass,
  bwBps: number,
  remaining: number,
  overheadMs: number,
  convergeOnly = false,
): boolean {
  if (bwBps >= c.bestBps * (1 - 1e-6)) return true;
  const e = model.estimate(c.vm, bwBps, c.mode);
  if (!e) return false;
  if (convergeOnly) return true;
  if (c.mode !== "plain") return false;
  const sharedS = (remaining * e.sentBytes) / c.linkBps;
  const aloneS = (remaining * c.alone.sentBytes) / c.bestBps + overheadMs / 1000;
  return sharedS <= aloneS;
}

/**
 * May a candidate slow a running move below what shareAcceptable allows? Only if running beside it
 * beats running after it: the running move slowed (`slowedMs` left; it must still converge) and
 * the candidate at its share (`mineMs`, null = never converges) both end ≥ 5 % before the running
 * move as it is (`asIsMs` left) followed by the candidate alone on its link (issue 17: a hot VM's
 * anti-affinity partner, shut out of the one fast host, waited 7 s for it, then ran 27 s on 10 GbE
 * while the source's spare egress idled).
 */
export function overlapPays(
  slowedMs: number,
  asIsMs: number,
  mineMs: number | undefined,
  aloneMs: number,
  overheadMs: number,
): boolean {
  return mineMs !== undefined && Math.max(slowedMs, overheadMs + mineMs) < 0.95 * (asIsMs + overheadMs + aloneMs);
}
