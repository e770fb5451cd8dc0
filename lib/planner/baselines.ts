// The two schedulers issue 5 compares the planner with, as plans of the same shape (durations from
// the same fluid model and predictor, so only placement and timing differ):
//  (a) mostFreeRamAllAtOnce: each VM to the host with the most *reported* free RAM, ignoring the
//      moves already decided and those in flight, everything started at time 0 (C.2's pile-up);
//  (b) serialOneAtATime: one move at a time, each to the host with the most free RAM after every
//      reservation (so it truly has room) among those on whose link it converges. Both keep the static pre-checks (CPU model, vCPUs ≤
//      cores, host in service) and the auto-converge policy, which any tool applies. Pure.
import { planContext } from "./evacuate-context";
import { type Classified, classify, type MoveClass } from "./evacuate-model";
import { Ledger } from "./evacuate-place";
import { FluidTimeline, type Stream } from "./evacuate-timeline";
import { type Plan, type PlanInput, type PlannedMove, type PlannerHost, stillToArrive } from "./evacuate-types";
import { evacuationLowerBound } from "./lower-bound";

type Ctx = ReturnType<typeof planContext>;
type Pending = { q: Ctx["queued"][number]; dest: PlannerHost };

function addInflight(input: PlanInput, ctx: Ctx, timeline: FluidTimeline, ledger?: Ledger): void {
  input.inflight.forEach((f, i) => {
    ledger?.reserve(f.destHostId, stillToArrive(f), f.vcpus, f.antiAffinityGroup);
    if (f.remainingMs > 0) {
      timeline.add({
        id: `inflight:${i}`,
        src: f.sourceHostId,
        dst: f.destHostId,
        capBps: ctx.cap,
        startMs: 0,
        setupEndMs: 0,
        transferMs: null,
        fixedEndMs: f.remainingMs,
      });
    }
  });
}

function addMove(
  ctx: Ctx,
  timeline: FluidTimeline,
  p: Pending,
  moves: PlannedMove[],
  streams: Map<string, { s: Stream; m: PlannedMove; p: Pending }>,
): void {
  const vm = p.q.cls.vm;
  const now = timeline.now;
  const s = timeline.add({
    id: `move:${vm.id}`,
    src: vm.hostId,
    dst: p.dest.id,
    capBps: ctx.cap,
    startMs: now,
    setupEndMs: now + ctx.overheadMs,
    transferMs: (bw) => ctx.model.estimate(vm, bw, p.q.cls.mode)?.ms ?? null,
  });
  const m: PlannedMove = {
    vmId: vm.id,
    vmName: vm.name,
    sourceHostId: vm.hostId,
    destHostId: p.dest.id,
    startMs: now,
    endMs: Number.POSITIVE_INFINITY,
    bandwidthBps: 0,
    autoConverge: p.q.cls.mode === "auto-converge",
    strategy: p.q.cls.mode,
    lambda: 0,
    order: moves.length,
  };
  moves.push(m);
  streams.set(s.id, { s, m, p });
}

/** Steps the timeline until `until()` or nothing more can happen; fills in ends and bandwidths. */
function runUntil(
  timeline: FluidTimeline,
  streams: Map<string, { s: Stream; m: PlannedMove; p: Pending }>,
  until: () => boolean,
): void {
  while (!until()) {
    const ended = timeline.step();
    if (ended === null) return; // the rest stalls: it never converges at the share it gets
    for (const s of ended) {
      const r = streams.get(s.id);
      if (!r) continue;
      streams.delete(s.id);
      r.m.endMs = s.endMs ?? timeline.now;
      r.m.bandwidthBps = s.transferredMs > 0 ? s.bwMs / s.transferredMs : r.p.q.cls.bestBps;
      r.m.lambda = r.m.bandwidthBps > 0 ? r.p.q.cls.vm.dirtyRateBps / r.m.bandwidthBps : 0;
    }
  }
}

function finish(input: PlanInput, ctx: Ctx, moves: PlannedMove[]): Plan {
  const makespanMs = moves.reduce((m, x) => Math.max(m, x.endMs), 0);
  const moved = new Set(moves.map((m) => m.vmId));
  const lowerBoundMs = evacuationLowerBound({ ...input, vms: input.vms.filter((v) => moved.has(v.id)) });
  return {
    moves,
    unplaced: ctx.unplaced,
    flagged: ctx.flagged,
    makespanMs,
    lowerBoundMs,
    ratioToLowerBound: lowerBoundMs > 0 ? makespanMs / lowerBoundMs : 1,
  };
}

/** (a) Everyone to the most-free host by the *reported* figure, all at once. */
export function mostFreeRamAllAtOnce(input: PlanInput): Plan {
  const ctx = planContext(input);
  const timeline = new FluidTimeline(ctx.nic);
  addInflight(input, ctx, timeline);
  const moves: PlannedMove[] = [];
  const streams = new Map<string, { s: Stream; m: PlannedMove; p: Pending }>();
  for (const q of ctx.queued) {
    const dest = [...q.dests].sort((a, b) => b.memoryFreeBytes - a.memoryFreeBytes || (a.id < b.id ? -1 : 1))[0];
    if (dest) addMove(ctx, timeline, { q, dest }, moves, streams);
  }
  runUntil(timeline, streams, () => streams.size === 0);
  return finish(input, ctx, moves);
}

/** (b) One move at a time, each to the host with the most free RAM after all reservations on which it converges. */
export function serialOneAtATime(input: PlanInput): Plan {
  const ctx = planContext(input);
  const timeline = new FluidTimeline(ctx.nic);
  const ledger = new Ledger(input.hosts);
  addInflight(input, ctx, timeline, ledger);
  const moves: PlannedMove[] = [];
  const streams = new Map<string, { s: Stream; m: PlannedMove; p: Pending }>();
  for (const q of ctx.queued) {
    const vm = q.cls.vm;
    const roomy = q.dests
      .filter((d) => ledger.room(vm, d) === "ok")
      .sort((a, b) => ledger.freeBytes(b) - ledger.freeBytes(a) || (a.id < b.id ? -1 : 1));
    if (roomy.length === 0) {
      ctx.unplaced.push({ vmId: vm.id, vmName: vm.name, reason: ledger.noRoomReason(vm, q.dests) });
      continue;
    }
    // Alone on a link it gets min(source NIC, that destination's NIC, stream cap): the strategy
    // (evacuate-model's classify) is decided per destination, and a host too slow for it is skipped for the
    // next with room (it used to give up at the first, listing a VM that converges elsewhere).
    let found: { dest: PlannerHost; cls: MoveClass } | undefined;
    let refusal: Extract<Classified, { ok: false }> | undefined;
    for (const d of roomy) {
      const c = classify(ctx.model, vm, Math.min(q.cls.linkBps, d.nicBps, ctx.cap), q.cls.linkBps, ctx.allowed);
      if (c.ok) {
        found = { dest: d, cls: c.cls };
        break;
      }
      refusal ??= c;
    }
    if (!found) {
      const reason = refusal?.reason ?? "";
      ctx.unplaced.push({ vmId: vm.id, vmName: vm.name, reason });
      if (refusal?.flagged) ctx.flagged.push({ vmId: vm.id, vmName: vm.name, reason });
      continue;
    }
    const dest = found.dest;
    ledger.reserve(dest.id, vm.memoryBytes, vm.vcpus, vm.antiAffinityGroup);
    addMove(ctx, timeline, { q: { ...q, cls: found.cls }, dest }, moves, streams);
    runUntil(timeline, streams, () => streams.size === 0);
    // Stalled for good (it converges alone on paper but not at what it gets): it never ends.
    for (const { s } of streams.values()) timeline.remove(s);
    streams.clear();
  }
  return finish(input, ctx, moves);
}
