// When an armed maintenance window starts itself, re-plans first, or stops launching. Pure: the
// clock and the fleet's current signature are passed in, so tests decide "now" instead of sleeping.
import { createHash } from "node:crypto";

export type ScheduledWindow = {
  state: string;
  armedAt: Date | null;
  startsAt: Date;
  endsAt: Date;
  launchEndedAt: Date | null;
};

export type StartDecision = { do: "wait" } | { do: "start" } | { do: "expire"; reason: string };

/** An armed, planned window starts once its start time has come, and never after its end. */
export function startDecision(w: ScheduledWindow, now: Date): StartDecision {
  if (w.state !== "planned" || !w.armedAt) return { do: "wait" };
  if (now >= w.endsAt) return { do: "expire", reason: "not started: the window ended before it could start" };
  return now >= w.startsAt ? { do: "start" } : { do: "wait" };
}

/**
 * Why the stored plan must be redone before a scheduled start: it is older than `replanAfterMs`,
 * or the hosts and VMs it was computed from differ now (a plan without a signature predates this
 * check and is redone). Empty: the approved plan runs as is.
 */
export function replanReasons(
  plan: { plannedAt: string; fleetSignature?: string } | null,
  fleetSignatureNow: string,
  now: Date,
  replanAfterMs: number,
): string[] {
  if (!plan) return ["no plan stored"];
  const reasons: string[] = [];
  const ageMs = now.getTime() - Date.parse(plan.plannedAt);
  if (!(ageMs <= replanAfterMs))
    reasons.push(
      `the plan is ${Math.round(ageMs / 60_000)} min old (re-planned after ${Math.round(replanAfterMs / 60_000)} min)`,
    );
  if (plan.fleetSignature !== fleetSignatureNow) reasons.push("the fleet changed since planning (hosts or VMs differ)");
  return reasons;
}

/** A running or paused armed window past its end stops launching (once). */
export function launchesEnded(w: ScheduledWindow, now: Date): boolean {
  return (
    (w.state === "running" || w.state === "paused") && w.armedAt !== null && w.launchEndedAt === null && now >= w.endsAt
  );
}

export type FleetHostFacts = {
  id: string;
  status: string;
  reachable: boolean;
  cpuModel: string | null;
  cores: number | null;
  libvirtVersion: string | null;
};
export type FleetVmFacts = { uuid: string; hostId: string; state: string; vcpus: number; memoryBytes: bigint | number };

/**
 * What a plan depends on, as one digest: every host's placement facts (not its free RAM, which
 * moves every read) and every VM's host, state and size. Order-independent.
 */
export function fleetSignature(hosts: FleetHostFacts[], vms: FleetVmFacts[]): string {
  const h = hosts.map((x) => [x.id, x.status, x.reachable, x.cpuModel, x.cores, x.libvirtVersion].join("|")).sort();
  const v = vms.map((x) => [x.uuid, x.hostId, x.state, x.vcpus, String(x.memoryBytes)].join("|")).sort();
  return createHash("sha256")
    .update(JSON.stringify([h, v]))
    .digest("hex");
}
