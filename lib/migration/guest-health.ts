// Is a landed guest alive? Pure: judges two probes of the destination taken a settle time apart.
// `domstate` alone is not enough: in the lab, guests that panicked or hung in their kernel right
// after landing still read "running" (lab/README.md). A guest counts as alive when it runs and
// either answers the QEMU guest agent's guest-ping (when its domain has the agent channel) or,
// without an agent, its vCPUs kept consuming time; an admin's TCP check of its service must answer too.
import type { DomainState } from "@/lib/virsh/domain-state";

export type CheckResult = { ok: true } | { ok: false; error: string };

export type GuestProbe = {
  /** Epoch ms of the probe. */
  at: number;
  /** "absent": the destination does not know the domain (reason = virsh's error). */
  state: DomainState | "absent";
  reason: string | null;
  /** Sum of vcpu.N.time (or cpu.time), ns; null when domstats gave none (domain not active). */
  cpuTimeNs: number | null;
  /** guest-ping through the agent channel; null when the domain has no agent channel. */
  agent: CheckResult | null;
  /** The admin's TCP check (host:port); null when none is configured. */
  tcp: (CheckResult & { target: string }) | null;
};

export type HealthVerdict = { health: "healthy" | "unhealthy"; reason: string };

/** Default settle time after a landing before the verdict (CONVOY_GUEST_HEALTH_SETTLE_MS). */
export const DEFAULT_SETTLE_MS = 20_000;

/** A verdict now, without waiting for the settle time: the guest is visibly dead already. */
export function earlyVerdict(p: GuestProbe): HealthVerdict | null {
  return p.state === "running" ? null : { health: "unhealthy", reason: notRunning(p) };
}

export function judgeGuest(first: GuestProbe, last: GuestProbe): HealthVerdict {
  const early = earlyVerdict(last);
  if (early) return early;
  const seconds = Math.max(0, Math.round((last.at - first.at) / 1000));
  const problems: string[] = [];
  const good: string[] = [];
  if (last.agent) {
    if (last.agent.ok) good.push("answered guest-ping");
    else problems.push(`the guest agent did not answer guest-ping: ${last.agent.error}`);
  } else if (first.cpuTimeNs === null || last.cpuTimeNs === null) {
    problems.push("no vCPU time reported");
  } else {
    const ranMs = Math.round((last.cpuTimeNs - first.cpuTimeNs) / 1e6);
    if (ranMs <= 0) problems.push(`its vCPUs used no time in ${seconds} s (hung guest)`);
    else good.push(`vCPU time +${ranMs} ms in ${seconds} s`);
  }
  if (last.tcp) {
    if (last.tcp.ok) good.push(`TCP ${last.tcp.target} answered`);
    else problems.push(`TCP ${last.tcp.target}: ${last.tcp.error}`);
  }
  return problems.length
    ? { health: "unhealthy", reason: cap(problems.join("; ")) }
    : { health: "healthy", reason: `Running; ${good.join(", ")}.` };
}

/** The settle time in wall ms: the simulator's clock runs `timeScale` times faster. */
export function settleWallMs(settleMs: number, timeScale = 1): number {
  return Math.max(200, Math.round(settleMs / Math.max(1, timeScale)));
}

function notRunning(p: GuestProbe): string {
  if (p.state === "absent") return `The guest is not on the destination${p.reason ? ` (${p.reason})` : ""}.`;
  const words = p.state === "shutoff" ? "shut off" : p.state;
  return `The guest is ${words}${p.reason ? ` (${p.reason})` : ""} on the destination.`;
}

function cap(s: string): string {
  return s.length > 500 ? `${s.slice(0, 497)}…` : s;
}
