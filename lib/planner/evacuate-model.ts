// What one move costs at a given bandwidth, from lib/migration/predict (migration-physics A.2-A.4),
// and the two decisions the scheduler takes from it: which mode a VM needs (plain pre-copy, or
// auto-converge when even the whole link is not enough), and whether a bandwidth share is good
// enough to run it now (C.3: concurrency hurts convergence). Pure and deterministic.
import { predictPrecopy } from "@/lib/migration/predict";
import { rate } from "@/lib/migration/text";
import { QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import type { PlannerVm } from "./evacuate-types";

/** Bytes the first pass sends. */
export const firstPassBytes = (vm: PlannerVm): number => Math.max(1, vm.transferBytes ?? vm.memoryBytes);
/** Bytes that must cross the link at least once (C.3's M_i): RAM's first pass plus copied disks. */
export const bytesToMove = (vm: PlannerVm): number => firstPassBytes(vm) + Math.max(0, vm.copyStorageBytes ?? 0);

/** A finite stand-in for an unlimited link (≈ 80 Tb/s), so times stay finite. */
const MAX_BPS = 1e13;

export type Estimate = { ms: number; sentBytes: number };
export type Mode = "plain" | "auto-converge";

export class MoveModel {
  private readonly cache = new Map<string, Estimate | null>();

  constructor(readonly maxDowntimeMs: number) {}

  /** Transfer time (disk copy, then pre-copy) at a constant bandwidth; null = never converges. */
  estimate(vm: PlannerVm, bwBps: number, mode: Mode): Estimate | null {
    const bw = Math.min(MAX_BPS, bwBps);
    if (!(bw > 0)) return null;
    // Shares are recomputed often; 0.1 MB/s buckets change a duration by < 0.01 %.
    const key = `${vm.id}\0${mode}\0${Math.round(bw / 1e5)}`;
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit;
    const p = predictPrecopy({
      memoryBytes: firstPassBytes(vm),
      dirtyRateBps: Math.max(0, vm.dirtyRateBps),
      ...(vm.workingSetBytes !== undefined ? { workingSetBytes: vm.workingSetBytes } : {}),
      bandwidthBps: bw,
      maxDowntimeMs: this.maxDowntimeMs,
      ...(mode === "auto-converge" ? { autoConverge: QEMU_AUTO_CONVERGE } : {}),
    });
    const disk = Math.max(0, vm.copyStorageBytes ?? 0);
    const out =
      p.converges && p.totalTimeMs !== null
        ? { ms: p.totalTimeMs + (disk / bw) * 1000, sentBytes: (p.bytesSent ?? 0) + disk }
        : null;
    this.cache.set(key, out);
    return out;
  }

  /** The predictor's explanation at a bandwidth (for flags and unplaced reasons). */
  explain(vm: PlannerVm, bwBps: number, mode: Mode): string {
    return predictPrecopy({
      memoryBytes: firstPassBytes(vm),
      dirtyRateBps: Math.max(0, vm.dirtyRateBps),
      ...(vm.workingSetBytes !== undefined ? { workingSetBytes: vm.workingSetBytes } : {}),
      bandwidthBps: Math.min(MAX_BPS, bwBps),
      maxDowntimeMs: this.maxDowntimeMs,
      ...(mode === "auto-converge" ? { autoConverge: QEMU_AUTO_CONVERGE } : {}),
    }).reason;
  }
}

/** A VM ready to schedule: its mode and what it gets at best (alone on the link). */
export type MoveClass = {
  vm: PlannerVm;
  mode: Mode;
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
  autoConvergeAllowed: boolean,
): Classified {
  const plain = model.estimate(vm, bestBps, "plain");
  if (plain) return { ok: true, cls: { vm, mode: "plain", bestBps, linkBps, alone: plain } };
  const why = model.explain(vm, bestBps, "plain");
  if (!autoConvergeAllowed) {
    return {
      ok: false,
      flagged: true,
      reason: `predicted not to converge even alone on the link (${rate(bestBps)}): ${why} Policy does not allow auto-converge: decide (auto-converge, post-copy or a longer max downtime).`,
    };
  }
  const ac = model.estimate(vm, bestBps, "auto-converge");
  if (ac) return { ok: true, cls: { vm, mode: "auto-converge", bestBps, linkBps, alone: ac } };
  return {
    ok: false,
    flagged: true,
    reason: `does not converge even alone with auto-converge: ${model.explain(vm, bestBps, "auto-converge")} Needs post-copy or a longer max downtime.`,
  };
}

/**
 * May this move run at `bwBps` with `remaining` of its transfer left? It must converge there, and
 * sharing must not cost more link time than it saves: running alone wastes the setup/switchover gap
 * (overhead) and whatever a capped stream leaves of the link; sharing re-sends more dirty pages
 * (λ = D/B grows). Auto-converge moves run alone (a shared link only deepens the throttle).
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
  if (c.mode === "auto-converge") return false;
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
