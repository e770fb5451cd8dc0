// How to execute a plan without undoing its decisions. The planner delays a move for a reason that
// always involves its own source or destination: a slot, or bandwidth it must not share (a dirty
// VM running alone, a filler sized to what a capped stream leaves). So a move may start once every
// move the plan finishes before its start on the same source or destination has ended, and the
// moves planned before it on its source have started (queue order). Early finishes are used, late
// ones respected; starting on free slots alone would pair moves the plan kept apart. Pure.
import type { Plan } from "./evacuate-types";

export type Prerequisites = { endedFirst: string[]; startedFirst: string[] };

/** Per vmId: the moves that must have ended, and those that must have started, before it starts. */
export function movePrerequisites(plan: Pick<Plan, "moves">, toleranceMs = 1e-3): Map<string, Prerequisites> {
  const out = new Map<string, Prerequisites>();
  for (const m of plan.moves) {
    const related = plan.moves.filter((p) => p !== m && (p.sourceHostId === m.sourceHostId || p.destHostId === m.destHostId));
    out.set(m.vmId, {
      endedFirst: related.filter((p) => p.endMs <= m.startMs + toleranceMs).map((p) => p.vmId),
      startedFirst: plan.moves.filter((p) => p.sourceHostId === m.sourceHostId && p.order < m.order).map((p) => p.vmId),
    });
  }
  return out;
}

/** True when `vmId`'s prerequisites hold (a failed move counts as ended). */
export function readyToStart(pre: Prerequisites | undefined, ended: ReadonlySet<string>, started: ReadonlySet<string>): boolean {
  return !!pre && pre.endedFirst.every((id) => ended.has(id)) && pre.startedFirst.every((id) => started.has(id));
}
