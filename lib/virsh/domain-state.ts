// Domain states and reasons as virsh prints them (virshDomainStateToString / …ReasonToString in
// libvirt 9.0) and as domstats reports them (numeric virDomainState / per-state reason enums).
// One table serves list, dominfo, domstate and domstats so they agree on names.

export type DomainState =
  | "no-state"
  | "running"
  | "blocked"
  | "paused"
  | "shutdown"
  | "shutoff"
  | "crashed"
  | "pmsuspended";

/** virsh's words, in virDomainState order (0..7). */
const STATES: readonly [DomainState, string][] = [
  ["no-state", "no state"],
  ["running", "running"],
  ["blocked", "idle"],
  ["paused", "paused"],
  ["shutdown", "in shutdown"],
  ["shutoff", "shut off"],
  ["crashed", "crashed"],
  ["pmsuspended", "pmsuspended"],
];

/** Reason words per state, index = reason code (virDomain<State>Reason enums). */
const REASONS: Record<DomainState, readonly string[]> = {
  "no-state": ["unknown"],
  running: [
    "unknown",
    "booted",
    "migrated",
    "restored",
    "from snapshot",
    "unpaused",
    "migration canceled",
    "save canceled",
    "event wakeup",
    "crashed",
    "post-copy",
    "post-copy failed",
  ],
  blocked: ["unknown"],
  paused: [
    "unknown",
    "user",
    "migrating",
    "saving",
    "dumping",
    "I/O error",
    "watchdog",
    "from snapshot",
    "shutting down",
    "creating snapshot",
    "crashed",
    "starting up",
    "post-copy",
    "post-copy failed",
    "api error",
  ],
  shutdown: ["unknown", "user"],
  shutoff: ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"],
  crashed: ["unknown", "panicked"],
  pmsuspended: ["unknown"],
};

/** Every word virsh can print for a state (for table parsing). */
export const STATE_WORDS: readonly string[] = STATES.map(([, w]) => w);

/** "shut off" → "shutoff"; null for words virsh does not print. */
export function stateFromWord(word: string): DomainState | null {
  return STATES.find(([, w]) => w === word)?.[0] ?? null;
}

export function stateFromCode(code: number): DomainState | null {
  return STATES[code]?.[0] ?? null;
}

/** Reason word for domstats' numeric reason; "unknown" for codes newer than this table. */
export function reasonFromCode(state: DomainState, code: number): string {
  return REASONS[state][code] ?? "unknown";
}
