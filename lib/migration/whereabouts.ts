// Where a guest is after its migration ended, judged from what both hypervisors answered to
// `virsh domstate --reason`. Pure: the caller asks the hosts (lib/migration-ops/locate.ts).
//
// Real libvirt 9.0 cases this has to read right: after a failed or cancelled pre-copy the source
// says `running (migration canceled)` (or `running (booted)` when the guest never paused) and the
// destination no longer has the domain; after a landing the destination says `running (migrated)`
// and the source `shut off (migrated)` or has no domain (--undefinesource / transient); when the
// source's libvirtd was killed mid-migration the guest came back `running (migrated)` on the
// source once libvirtd restarted, while for 29 s the destination still held a paused copy — a
// paused reading is therefore never final and is asked again until it resolves.
import type { DomainState } from "@/lib/virsh/domain-state";

/** One host's answer about the domain. */
export type HostReading =
  | { kind: "state"; state: DomainState; reason: string | null }
  /** virsh: "failed to get domain" — not defined there (any more). */
  | { kind: "absent" }
  /** SSH or libvirtd did not answer (the reason says how). */
  | { kind: "unreachable"; why: string };

export const GUEST_LOCATIONS = ["source", "destination", "paused", "crashed", "both", "nowhere", "unknown"] as const;
export type GuestLocation = (typeof GUEST_LOCATIONS)[number];

export type Whereabouts = {
  location: GuestLocation;
  /** The host the guest runs or is paused on, or the host that could not be asked. */
  host: string | null;
  /** What each host answered, for the page and the event. */
  detail: string;
  /** false: not a resting state — ask both hosts again later (and alert for unknown/both/nowhere). */
  settled: boolean;
};

/** Locations that alert: nobody can say the guest is safe. */
export const ALERTING_LOCATIONS: readonly GuestLocation[] = ["unknown", "both", "nowhere"];

export function describeReading(host: string, r: HostReading): string {
  if (r.kind === "absent") return `${host}: not defined`;
  if (r.kind === "unreachable") return `${host}: no answer (${r.why})`;
  return `${host}: ${r.state}${r.reason ? ` (${r.reason})` : ""}`;
}

const isRunning = (r: HostReading) => r.kind === "state" && r.state === "running";
/** Stopped by a guest crash: `crashed`, `paused (crashed)` (on_crash=preserve) or `shut off (crashed)`. */
const isCrashed = (r: HostReading) =>
  r.kind === "state" &&
  (r.state === "crashed" || ((r.state === "paused" || r.state === "shutoff") && r.reason === "crashed"));
const isPaused = (r: HostReading) => r.kind === "state" && r.state === "paused" && !isCrashed(r);

export function judgeWhereabouts(
  source: { name: string; reading: HostReading },
  dest: { name: string; reading: HostReading },
): Whereabouts {
  const detail = `${describeReading(source.name, source.reading)}; ${describeReading(dest.name, dest.reading)}`;
  const s = source.reading;
  const d = dest.reading;
  if (isRunning(s) && isRunning(d)) return { location: "both", host: null, detail, settled: false };
  // A running copy on a host that answered is where the guest is — unless the other host cannot
  // be asked and might run it too; libvirt never leaves two running copies, so the answer stands.
  if (isRunning(s)) return { location: "source", host: source.name, detail, settled: !isPaused(d) };
  if (isRunning(d)) return { location: "destination", host: dest.name, detail, settled: !isPaused(s) };
  const unreachable = [source, dest].find((h) => h.reading.kind === "unreachable");
  if (unreachable) return { location: "unknown", host: unreachable.name, detail, settled: false };
  // Paused: prefer the destination's copy when both are (post-copy failed leaves both paused).
  if (isPaused(d)) return { location: "paused", host: dest.name, detail, settled: false };
  if (isPaused(s)) return { location: "paused", host: source.name, detail, settled: false };
  // A crashed guest is a resting state: no migration will move it; guest health says why.
  if (isCrashed(d)) return { location: "crashed", host: dest.name, detail, settled: true };
  if (isCrashed(s)) return { location: "crashed", host: source.name, detail, settled: true };
  return { location: "nowhere", host: null, detail, settled: false };
}

/** One line for pages and reports: "running on hv1", "paused on hv2", "unknown: hv2 unreachable". */
export function whereaboutsText(w: { location: string | null; host: string | null }): string | null {
  switch (w.location) {
    case "source":
    case "destination":
      return `running on ${w.host ?? w.location}`;
    case "paused":
      return `paused on ${w.host ?? "?"}`;
    case "crashed":
      return `crashed on ${w.host ?? "?"}`;
    case "both":
      return "running on both hosts";
    case "nowhere":
      return "running nowhere";
    case "unknown":
      return `unknown: ${w.host ?? "a host"} cannot be asked`;
    default:
      return null;
  }
}
