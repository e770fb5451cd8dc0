// How to execute a plan without undoing its decisions. The planner delays a move for a reason that
// always involves its own source or destination: a slot, or bandwidth it must not share (a dirty
// VM running alone, a filler sized to what a capped stream leaves). So a move may start once every
// related move (same source or destination) that the plan has finished before this one sends its
// first byte has ended, and the moves planned before it on its source have started (queue order).
// "Before it sends" is its start plus its setup (the planner's fixed overhead), not its start: a
// move planned to start 26 ms before another's end never shares the link with it in the plan, but
// starting it on its planned trigger made it share for as long as that trigger came early (issue 17:
// 0.85 s, a dirty VM slowed from 2.5 to 1.76 GB/s). Early finishes are used, late ones respected. Pure.
import { ASSUMED_JOB_OVERHEAD_MS } from "@/lib/migration/path-throughput";
import type { Plan } from "./evacuate-types";

export type Prerequisites = { endedFirst: string[]; startedFirst: string[] };

/**
 * Per vmId: the moves that must have ended, and those that must have started, before it starts.
 * `setupMs`: the plan's fixed overhead per move (setup + switchover), during which it sends nothing.
 */
export function movePrerequisites(
  plan: Pick<Plan, "moves">,
  setupMs = ASSUMED_JOB_OVERHEAD_MS,
  toleranceMs = 1e-3,
): Map<string, Prerequisites> {
  const out = new Map<string, Prerequisites>();
  const bySource = new Map<string, Plan["moves"]>();
  const byDest = new Map<string, Plan["moves"]>();
  for (const m of plan.moves) {
    bySource.set(m.sourceHostId, [...(bySource.get(m.sourceHostId) ?? []), m]);
    byDest.set(m.destHostId, [...(byDest.get(m.destHostId) ?? []), m]);
  }
  for (const m of plan.moves) {
    const mine = bySource.get(m.sourceHostId) ?? [];
    const related = new Set([...mine, ...(byDest.get(m.destHostId) ?? [])]);
    related.delete(m);
    const sends = m.startMs + Math.min(setupMs, Math.max(0, m.endMs - m.startMs));
    out.set(m.vmId, {
      endedFirst: [...related]
        .filter((p) => p.startMs <= m.startMs && p.order < m.order && p.endMs <= sends + toleranceMs)
        .map((p) => p.vmId),
      startedFirst: mine.filter((p) => p.order < m.order).map((p) => p.vmId),
    });
  }
  return out;
}

/** True when `vmId`'s prerequisites hold (a failed move counts as ended). */
export function readyToStart(
  pre: Prerequisites | undefined,
  ended: ReadonlySet<string>,
  started: ReadonlySet<string>,
): boolean {
  return !!pre && pre.endedFirst.every((id) => ended.has(id)) && pre.startedFirst.every((id) => started.has(id));
}
