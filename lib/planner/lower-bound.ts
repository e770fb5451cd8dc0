// Makespan lower bound of an evacuation (migration-physics C.3), per drained source and maxed, since
// the sources drain in parallel (o = fixed overhead per move: setup + switchover):
//
//   LB_S = max( Σ_{i on S} M_i / min(B_S, Σ_j B_j, k·b) + o ,
//               max_{i on S} M_i / min(b, B_S) + o ,
//               Σ_{i on S} (o + M_i / min(b, B_S)) / k )
//   LB   = max( max_S LB_S , Σ_all M_i / Σ_j B_j + o )
//
// M_i = bytes that must cross at least once (first pass + copied disks); B_S = the source's egress;
// B_j = the ingress of every host that may receive (active), capped at maxInbound·b; k = outbound
// limit per source; b = per-stream cap. The first two terms are C.3's formula; the overhead is paid
// at least once, before the first byte and after the last. The third is the per-VM overhead: each
// move holds one of the k outbound slots for its overhead plus its transfer at the most a stream can
// get. The last (all sources share the destinations' ingress) only tightens it. Dirty re-sends only
// add to the work, so no schedule beats this. Pure.
import { MoveModel, bytesToMove } from "./evacuate-model";
import { ASSUMED_JOB_OVERHEAD_MS } from "@/lib/migration/path-throughput";
import { DEFAULT_MAX_INBOUND, type PlannerHost, type PlannerVm } from "./evacuate-types";

export type LowerBoundInput = {
  hosts: PlannerHost[];
  vms: PlannerVm[];
  maxOutboundPerSource: number;
  maxInboundPerDest?: number;
  perStreamCapBps?: number;
  fixedOverheadMs?: number;
};

export type SourceBound = {
  sourceHostId: string;
  bytes: number;
  rateBps: number;
  volumeMs: number;
  largestMs: number;
  slotsMs: number;
};
export type LowerBoundDetail = {
  perSource: SourceBound[];
  destinationsMs: number;
  overheadMs: number;
  lowerBoundMs: number;
};

/** The bound with M_i = `bytesOf(vm)`; exported for the resend-aware variant below. */
export function lowerBoundDetail(
  input: LowerBoundInput,
  bytesOf: (vm: PlannerVm) => number = bytesToMove,
): LowerBoundDetail {
  const b = input.perStreamCapBps ?? Number.POSITIVE_INFINITY;
  const k = Math.max(1, input.maxOutboundPerSource);
  const kin = Math.max(1, input.maxInboundPerDest ?? DEFAULT_MAX_INBOUND);
  const overheadMs = input.vms.length > 0 ? Math.max(0, input.fixedOverheadMs ?? ASSUMED_JOB_OVERHEAD_MS) : 0;
  const byId = new Map(input.hosts.map((h) => [h.id, h]));
  const ingress = (h: PlannerHost) => Math.min(h.nicBps, kin * b);
  const bySource = new Map<string, PlannerVm[]>();
  for (const vm of input.vms) bySource.set(vm.hostId, [...(bySource.get(vm.hostId) ?? []), vm]);
  const perSource: SourceBound[] = [];
  for (const [src, vms] of [...bySource].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0))) {
    const Bsrc = byId.get(src)?.nicBps ?? Number.POSITIVE_INFINITY;
    const Bdst = input.hosts.filter((h) => h.id !== src && h.state === "active").reduce((s, h) => s + ingress(h), 0);
    const bytes = vms.reduce((s, v) => s + bytesOf(v), 0);
    const rateBps = Math.min(Bsrc, Bdst, k * b);
    const stream = Math.min(b, Bsrc);
    const largest = Math.max(...vms.map(bytesOf));
    const slotsMs = vms.reduce((s, v) => s + overheadMs + (bytesOf(v) / stream) * 1000, 0) / k;
    perSource.push({
      sourceHostId: src,
      bytes,
      rateBps,
      volumeMs: (bytes / rateBps) * 1000,
      largestMs: (largest / stream) * 1000,
      slotsMs,
    });
  }
  const allBytes = input.vms.reduce((s, v) => s + bytesOf(v), 0);
  const allIngress = input.hosts
    .filter((h) => h.state === "active" && !bySource.has(h.id))
    .reduce((s, h) => s + ingress(h), 0);
  const destinationsMs = allBytes > 0 ? (allBytes / allIngress) * 1000 : 0;
  const worst = perSource.reduce(
    (m, s) => Math.max(m, s.volumeMs + overheadMs, s.largestMs + overheadMs, s.slotsMs),
    destinationsMs + overheadMs,
  );
  return { perSource, destinationsMs, overheadMs, lowerBoundMs: input.vms.length > 0 ? worst : 0 };
}

/** LB in ms (C.3), the figure a plan's makespan is compared with. */
export function evacuationLowerBound(input: LowerBoundInput): number {
  return lowerBoundDetail(input).lowerBoundMs;
}

/**
 * A tighter, model-based bound (C.3's remark): M_i replaced by the bytes the predictor says VM i
 * sends even alone on the fastest link it can get (dirty re-sends included). More bandwidth never
 * means more re-sends in the model, so this still bounds every schedule *of the model*; it says how
 * much of a gap to LB is the guests' dirtying rather than the scheduling.
 */
export function resendAwareLowerBound(input: LowerBoundInput & { maxDowntimeMs: number }): number {
  const model = new MoveModel(input.maxDowntimeMs);
  const byId = new Map(input.hosts.map((h) => [h.id, h]));
  const bestDest = Math.max(0, ...input.hosts.filter((h) => h.state === "active").map((h) => h.nicBps));
  const b = input.perStreamCapBps ?? Number.POSITIVE_INFINITY;
  const sent = (vm: PlannerVm) => {
    const bw = Math.min(byId.get(vm.hostId)?.nicBps ?? Number.POSITIVE_INFINITY, bestDest, b);
    const e = model.estimate(vm, bw, "plain") ?? model.estimate(vm, bw, "auto-converge");
    return Math.max(bytesToMove(vm), e?.sentBytes ?? 0);
  };
  return lowerBoundDetail(input, sent).lowerBoundMs;
}
