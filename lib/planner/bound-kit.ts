// What every term of the tight bound (tight-bound.ts) measures with: the plan's context, each VM's
// time and bytes on a given link, and the in-flight migrations' ends. Pure.
import { planContext, type PlanContext } from "./evacuate-context";
import { bytesToMove, isAllowed } from "./evacuate-model";
import { type PlanInput, type PlannerHost, type PlannerVm, STRATEGIES } from "./evacuate-types";
import { FeasibleDests } from "./feasible-dests";

export type BoundTerm = {
  kind:
    | "vm"
    | "anti-affinity"
    | "source-link"
    | "source-slots"
    | "source-flow"
    | "group-link"
    | "group-slots"
    | "dest-packing";
  ms: number;
  why: string;
};

/** A VM the plan moves: its eligible hosts, and its time, bytes and rate on its best link. */
export type BoundVm = { vm: PlannerVm; dests: readonly PlannerHost[]; ms: number; bytes: number; rate: number };

type Inflight = PlanInput["inflight"][number] & { ms: number };

export type BoundKit = ReturnType<typeof boundKit>;

export const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
export const gb = (b: number) => `${(b / 1e9).toFixed(1)} GB`;
export const gbps = (b: number) => `${(b / 1e9).toFixed(2)} GB/s`;

export function boundKit(input: PlanInput) {
  const ctx: PlanContext = planContext(input);
  const o = ctx.overheadMs;
  const b = ctx.cap;
  const nic = (id: string) => ctx.nic.get(id) ?? Number.POSITIVE_INFINITY;
  // Feasible-dests.ts: the hosts that could ever take a VM (CPU, RAM and vCPUs after in-flight
  // moves, anti-affinity).
  const feasible = new FeasibleDests(input);
  const modes = STRATEGIES.filter((m) => isAllowed(ctx.allowed, m));
  // A VM's time and bytes at `rate`, the cheapest strategy the policy allows (time and re-sent
  // bytes only grow on a slower link; post-copy too sends all of RAM once, plus what it re-dirtied).
  const at = (vm: PlannerVm, rate: number) => {
    const est = modes.map((m) => ctx.model.estimate(vm, rate, m)).filter((e) => e !== null);
    const ms = est.length > 0 ? Math.min(...est.map((e) => e.ms)) : (bytesToMove(vm) / rate) * 1000;
    return { ms, bytes: Math.max(bytesToMove(vm), est.length > 0 ? Math.min(...est.map((e) => e.sentBytes)) : 0) };
  };
  const inflight: Inflight[] = input.inflight.map((f) => ({ ...f, ms: Math.max(0, f.remainingMs) }));
  return {
    ctx,
    o,
    b,
    k: ctx.maxOut,
    nic,
    ingress: (h: PlannerHost) => Math.min(h.nicBps, ctx.maxIn * b),
    name: (id: string) => ctx.byId.get(id)?.name ?? id,
    feasible,
    at,
    rateInto: (vm: PlannerVm, d: PlannerHost) => Math.min(b, nic(vm.hostId), d.nicBps),
    inflight,
    /** The remaining times of the in-flight migrations per id (`key` picks source or destination). */
    endsBy: (key: (f: Inflight) => string, ids: Iterable<string>) => {
      const out = new Map<string, number[]>([...ids].map((id) => [id, []]));
      for (const f of inflight) out.get(key(f))?.push(f.ms);
      return [...out.values()];
    },
    /** No byte flows before the first setup ends. */
    volume: (bytes: number, rateBps: number) => o + (bytes / rateBps) * 1000,
  };
}
