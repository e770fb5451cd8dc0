// Lifecycle of a migration and which operator buttons make sense in which state. The rules follow
// what QEMU/libvirt accept — auto-converge cannot be switched on mid-job, migrate-postcopy needs
// --postcopy at start, domjobabort is refused in post-copy, resume on a paused source waits for the
// job lock — so the UI never offers a button the hypervisor would refuse.
import { OPERATOR_ACTIONS, type OperatorAction } from "./operator-actions";
import type { MigrationState } from "./types";

export const ACTIVE_STATES = [
  "queued",
  "launching",
  "running",
  "postcopy",
] as const satisfies readonly MigrationState[];
export const TERMINAL_STATES = [
  "completed",
  "failed",
  "cancelled",
  "lost",
] as const satisfies readonly MigrationState[];

/**
 * Forward edges. Besides the happy path queued→launching→running→postcopy→completed, a launch may
 * skip straight to running's successors: a 1 Hz poller can miss a short phase entirely (an idle
 * 512 MiB guest migrates in 0.6 s in the lab), and a fast pre-copy can be in post-copy already.
 */
const FORWARD: Record<MigrationState, readonly MigrationState[]> = {
  queued: ["launching"],
  launching: ["running", "postcopy", "completed"],
  running: ["postcopy", "completed"],
  postcopy: ["completed"],
  completed: [],
  failed: [],
  cancelled: [],
  lost: [],
};

export function isActive(s: MigrationState): boolean {
  return (ACTIVE_STATES as readonly MigrationState[]).includes(s);
}

export function isTerminal(s: MigrationState): boolean {
  return (TERMINAL_STATES as readonly MigrationState[]).includes(s);
}

/**
 * Whether `from → to` is a legal step. Any active state may end in failed, cancelled or lost
 * (lost = Convoy can no longer tell what happened). Terminal states are final, and a state never
 * "transitions" to itself: callers treat a repeated observation as a no-op, not as a transition.
 */
export function canTransition(from: MigrationState, to: MigrationState): boolean {
  if (isTerminal(from) || from === to) return false;
  if (to === "failed" || to === "cancelled" || to === "lost") return true;
  return FORWARD[from].includes(to);
}

/** How the migration was launched and what the operator did since. */
export type ActionContext = {
  /** Started with --auto-converge (the capability cannot be switched on mid-flight). */
  autoConverge: boolean;
  /** Started with --postcopy, so migrate-postcopy is allowed. */
  postcopyArmed: boolean;
  /** The source guest was suspended to let the copy finish. */
  guestPaused: boolean;
};

export type ActionAvailability = { action: OperatorAction; allowed: boolean; reason: string };

type Rule = (state: MigrationState, c: ActionContext) => string | null;

const notTerminal: Rule = (s) => (isTerminal(s) ? `The migration has ended (${s}).` : null);
const needsJob: Rule = (s) =>
  s === "queued" || s === "launching" ? "The migration job has not started on the source yet." : null;
const precopyOnly: Rule = (s) =>
  s === "postcopy" ? "The guest already runs on the destination (post-copy): this only acts during pre-copy." : null;

// Each action lists its checks in order; the first refusal is the reason shown on the button.
const RULES: Record<OperatorAction, Rule[]> = {
  "set-max-downtime": [
    notTerminal,
    needsJob,
    precopyOnly,
    (_, c) => (c.guestPaused ? "The guest is paused: the downtime is already the time left to copy." : null),
  ],
  // libvirt can cap post-copy bandwidth too (VIR_DOMAIN_MIGRATE_MAX_SPEED_POSTCOPY).
  "set-bandwidth": [notTerminal, needsJob],
  "throttle-harder": [
    notTerminal,
    needsJob,
    precopyOnly,
    (_, c) =>
      c.autoConverge
        ? null
        : "Started without auto-converge, and QEMU refuses to enable it mid-migration: restart with auto-converge instead.",
    (_, c) => (c.guestPaused ? "The guest is paused: throttling its vCPUs changes nothing." : null),
  ],
  "restart-with-auto-converge": [
    notTerminal,
    needsJob,
    (s) => (s === "postcopy" ? "QEMU cannot abort a migration in post-copy, so it cannot be restarted." : null),
    (_, c) => (c.autoConverge ? "Already running with auto-converge: use throttle harder." : null),
  ],
  "suspend-to-finish": [
    notTerminal,
    needsJob,
    precopyOnly,
    (_, c) => (c.guestPaused ? "The guest is already paused." : null),
  ],
  "switch-to-postcopy": [
    notTerminal,
    needsJob,
    (s) => (s === "postcopy" ? "Already in post-copy." : null),
    (_, c) =>
      c.postcopyArmed ? null : "Only migrations started with --postcopy can switch (libvirt refuses otherwise).",
  ],
  abort: [
    notTerminal,
    (s) => (s === "postcopy" ? "QEMU refuses to abort in post-copy: the guest already runs on the destination." : null),
  ],
};

const ALLOWED_REASON: Record<OperatorAction, string> = {
  "set-max-downtime": "Changes QEMU's downtime-limit on the running job.",
  "set-bandwidth": "Changes the migration's bandwidth cap on the running job.",
  "throttle-harder": "Raises cpu-throttle-initial/increment: the guest's vCPUs run slower until it converges.",
  "restart-with-auto-converge": "Aborts this migration and starts it again with auto-converge: all progress is lost.",
  "suspend-to-finish": "Pauses the guest until the copy lands, then resumes it on the destination.",
  "switch-to-postcopy":
    "The guest runs on the destination at once; if either host or the link fails now, the guest is lost.",
  abort: "Cancels the migration; the guest keeps running on the source.",
};

/** Every operator action with whether it is allowed now and why (or why not). */
export function actionAvailability(state: MigrationState, c: ActionContext): ActionAvailability[] {
  return OPERATOR_ACTIONS.map((action) => {
    for (const rule of RULES[action]) {
      const refusal = rule(state, c);
      if (refusal) return { action, allowed: false, reason: refusal };
    }
    return { action, allowed: true, reason: ALLOWED_REASON[action] };
  });
}

/** The actions allowed now, in button order; `actionAvailability` has the reasons for the others. */
export function allowedActions(state: MigrationState, c: ActionContext): OperatorAction[] {
  return actionAvailability(state, c)
    .filter((a) => a.allowed)
    .map((a) => a.action);
}
