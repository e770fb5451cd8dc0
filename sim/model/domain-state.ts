// libvirt's domain states and reasons (virDomainState / virDomain*Reason), with the strings
// `virsh domstate --reason` prints and the numbers `domstats` reports.

export type DomainStateName = "running" | "paused" | "shut off" | "crashed";

const STATE_NUMBER: Record<DomainStateName, number> = { running: 1, paused: 3, "shut off": 5, crashed: 6 };

const REASONS: Record<DomainStateName, readonly string[]> = {
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
  "shut off": ["unknown", "shutdown", "destroyed", "crashed", "migrated", "saved", "failed", "from snapshot", "daemon"],
  crashed: ["unknown", "panicked"],
};

export type DomainReason<S extends DomainStateName = DomainStateName> = (typeof REASONS)[S][number];

export interface DomainStatus {
  state: DomainStateName;
  reason: string;
}

export function stateNumber(s: DomainStateName): number {
  return STATE_NUMBER[s];
}

export function reasonNumber(s: DomainStatus): number {
  const i = REASONS[s.state].indexOf(s.reason);
  return Math.max(0, i);
}

/** "running (booted)" — the `domstate --reason` line. */
export function describeStatus(s: DomainStatus): string {
  return `${s.state} (${s.reason})`;
}

/** Active = has a QEMU process (an id, memory allocated on the host). */
export function isActive(s: DomainStatus): boolean {
  return s.state === "running" || s.state === "paused";
}
