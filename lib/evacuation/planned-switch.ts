// How the drain launches a planned post-copy or suspend-at-end move (issue 17). Pure, shared by the
// drain (drain-decide.ts) and the evacuation bench, which executes plans on the simulator.

/**
 * A planned switch after the first pass, as virsh's own migrate --timeout (--timeout-postcopy arms
 * post-copy and switches, --timeout-suspend pauses the guest and lets the rest cross): the same
 * switch-to-postcopy / suspend-to-finish the policy's steps fire later if a move stalls. The timer
 * runs from the job's start, so it gets 1 s for the setup before the first pass; switching a little
 * late costs only the pages re-dirtied meanwhile. A retry on another destination was not planned
 * with it and launches plain (its own link may differ).
 */
export function plannedSwitch(
  p: { strategy: string; switchAfterMs?: number } | undefined,
): { seconds: number; action: "postcopy" | "suspend" } | undefined {
  if (!p || p.switchAfterMs === undefined) return undefined;
  if (p.strategy !== "post-copy" && p.strategy !== "suspend-at-end") return undefined;
  return {
    seconds: Math.max(1, Math.ceil(p.switchAfterMs / 1000) + 1),
    action: p.strategy === "post-copy" ? "postcopy" : "suspend",
  };
}
