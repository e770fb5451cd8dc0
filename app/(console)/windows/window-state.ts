// Display of window and move states, shared by the list and the window page.
import type { MoveState, WindowState } from "@/lib/generated/prisma/client";
import type { Strategy } from "@/lib/planner/evacuate-types";

type Tone = "green" | "red" | "amber" | "slate" | "sky";

export const WINDOW_STATE_TONE: Record<WindowState, Tone> = {
  draft: "slate",
  planned: "sky",
  running: "amber",
  paused: "amber",
  completed: "green",
  cancelled: "red",
};

export const MOVE_STATE_TONE: Record<MoveState, Tone> = {
  pending: "slate",
  started: "sky",
  completed: "green",
  failed: "red",
  skipped: "amber",
  cancelled: "slate",
};

/**
 * How a move runs (issue 17), least disruptive first: a short label, a badge tone, the colour of its
 * mark on the Gantt (none for plain pre-copy), and what it means for the guest.
 */
export const STRATEGY_DISPLAY: Record<Strategy, { label: string; tone: Tone; mark: string | null; title: string }> = {
  plain: { label: "pre-copy", tone: "slate", mark: null, title: "Pre-copy only: the guest runs on until switchover." },
  "auto-converge": {
    label: "auto-converge",
    tone: "amber",
    mark: "#fbbf24",
    title: "Pre-copy with the guest's vCPUs throttled until it converges.",
  },
  "suspend-at-end": {
    label: "suspend at end",
    tone: "sky",
    mark: "#38bdf8",
    title: "After the first pass the guest is paused while the rest crosses, within the downtime budget.",
  },
  "post-copy": {
    label: "post-copy",
    tone: "red",
    mark: "#fb7185",
    title:
      "After the first pass the guest runs on the destination and fetches its pages over the network: a network failure then loses it.",
  },
};

/** The strategies the plan was allowed (its settings; plans stored before issue 17 knew only auto-converge). */
export function plannedStrategies(s: {
  autoConvergeWhenNeeded: boolean;
  strategies?: { postCopy: boolean; suspendAtEnd: boolean };
}): string[] {
  const allowed: Record<Strategy, boolean> = {
    plain: true,
    "auto-converge": s.autoConvergeWhenNeeded,
    "suspend-at-end": s.strategies?.suspendAtEnd === true,
    "post-copy": s.strategies?.postCopy === true,
  };
  return (Object.keys(allowed) as Strategy[]).filter((k) => allowed[k]).map((k) => STRATEGY_DISPLAY[k].label);
}
