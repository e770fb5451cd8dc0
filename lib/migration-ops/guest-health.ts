import "server-only";
// Guest health after a landing: the worker watches every migration that landed for a settle time,
// then judges the guest from two probes of the destination (lib/migration/guest-health.ts). A dead
// guest is recorded "landed, unhealthy" and alerted (lib/alerts/outbox.ts). A probe the destination
// does not answer is asked again (a loaded host's libvirtd can take longer than the SSH timeout for
// one command: the lab's TCG hosts did, and every intact guest read "unknown"); only a destination
// still unreachable UNREACHABLE_GIVE_UP_MS after the settle time is recorded "unknown", never healthy.
import { connect } from "node:net";
import {
  claimDueChecks,
  claimNewLandings,
  recordGuestHealth,
  retryGuestCheck,
  saveFirstProbe,
  serviceCheckFor,
} from "@/lib/db/guest-health";
import { getMigration, type MigrationWithHosts } from "@/lib/db/migrations";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { type CheckResult, earlyVerdict, type GuestProbe, judgeGuest } from "@/lib/migration/guest-health";
import { onHost } from "@/lib/migration-ops/remote";
import { SshError } from "@/lib/ssh/errors";
import { domStatsGuest, dumpXml, guestAgentPing } from "@/lib/virsh/commands";
import { classifyVirshError } from "@/lib/virsh/parse-error";
import { hasGuestAgentChannel } from "@/lib/virsh/parse-dumpxml";
import { cpuTimeOf, parseDomStats, stateOf } from "@/lib/virsh/parse-domstats";

type StoredProbe = GuestProbe & { agentChannel: boolean };

/** How long after the settle time an unanswered probe is retried before the health is "unknown". */
const UNREACHABLE_GIVE_UP_MS = 60_000;
/** Pause between retries of an unanswered probe (shorter with a short settle time, e.g. a fast simulated clock). */
const RETRY_AFTER_MS = 5_000;

/** One pass of the worker's health loop: start watching new landings, judge the due ones. */
export async function checkLandedGuests(o: { settleMs?: number } = {}): Promise<void> {
  const settleMs = o.settleMs ?? env().CONVOY_GUEST_HEALTH_SETTLE_MS;
  // Landings older than this are not checked any more (the guest may have moved on since).
  const recentMs = Math.max(120_000, 3 * settleMs);
  const fresh = await claimNewLandings(settleMs, recentMs);
  const due = await claimDueChecks();
  await Promise.all([
    ...fresh.map((id) => check(id, "first", settleMs)),
    ...due.map((id) => check(id, "last", settleMs)),
  ]);
}

async function check(id: string, which: "first" | "last", settleMs: number): Promise<void> {
  const m = await getMigration(id);
  if (!m) return;
  try {
    const first = m.guestHealthProbe as StoredProbe | null;
    if (which === "first" || !first) {
      const probe = await probeGuest(m, { agentChannel: null, tcp: false });
      const early = earlyVerdict(probe);
      if (early) await recordGuestHealth(id, early.health, early.reason);
      else await saveFirstProbe(id, probe, settleMs);
      return;
    }
    const last = await probeGuest(m, { agentChannel: first.agentChannel, tcp: true });
    const v = judgeGuest(first, last);
    await recordGuestHealth(id, v.health, v.reason);
  } catch (e) {
    if (!(e instanceof SshError)) throw e;
    const landedAt = (m.endedAt ?? new Date()).getTime();
    if (Date.now() < landedAt + settleMs + UNREACHABLE_GIVE_UP_MS) {
      log.info("guest health: destination did not answer, asking again", { migrationId: id, error: e.message });
      await retryGuestCheck(id, Math.min(RETRY_AFTER_MS, settleMs));
      return;
    }
    log.warn("guest health: destination unreachable", { migrationId: id, error: e });
    await recordGuestHealth(id, "unknown", `${m.destHost.name} could not be asked: ${e.message}`);
  }
}

/** domstats (state, CPU time) of the guest on the destination; the agent and TCP checks as asked. */
async function probeGuest(
  m: MigrationWithHosts,
  o: { agentChannel: boolean | null; tcp: boolean },
): Promise<StoredProbe> {
  const uri = m.destHost.libvirtUri;
  const at = Date.now();
  const r = await onHost(m, "dest", domStatsGuest(uri, m.vmName), { allowNonZero: true });
  if (r.exitCode !== 0) {
    return {
      at,
      state: "absent",
      reason: classifyVirshError(r.stderr).message || `exit ${r.exitCode}`,
      cpuTimeNs: null,
      agent: null,
      tcp: null,
      agentChannel: false,
    };
  }
  const rec = parseDomStats(r.stdout)[0];
  const st = rec ? stateOf(rec) : null;
  const agentChannel = o.agentChannel ?? hasGuestAgentChannel((await onHost(m, "dest", dumpXml(uri, m.vmName))).stdout);
  const agent = agentChannel && st?.state === "running" ? await agentPing(m) : null;
  const service = o.tcp ? await serviceCheckFor(m.vmUuid) : null;
  const tcp = service
    ? { target: `${service.tcpHost}:${service.tcpPort}`, ...(await tcpCheck(service.tcpHost, service.tcpPort)) }
    : null;
  return {
    at,
    state: st?.state ?? "absent",
    reason: st?.reason ?? null,
    cpuTimeNs: rec ? cpuTimeOf(rec) : null,
    agent,
    tcp,
    agentChannel,
  };
}

async function agentPing(m: MigrationWithHosts): Promise<CheckResult> {
  const r = await onHost(m, "dest", guestAgentPing(m.destHost.libvirtUri, m.vmName), { allowNonZero: true });
  if (r.exitCode === 0 && /"return"/.test(r.stdout)) return { ok: true };
  return { ok: false, error: classifyVirshError(r.stderr).message || r.stdout.trim() || `exit ${r.exitCode}` };
}

/** Opens and closes a TCP connection from the worker: the service answers on its port. */
function tcpCheck(host: string, port: number, timeoutMs = 3_000): Promise<CheckResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (r: CheckResult) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ ok: false, error: `no answer within ${timeoutMs} ms` }));
    socket.once("connect", () => done({ ok: true }));
    socket.once("error", (e: NodeJS.ErrnoException) => done({ ok: false, error: e.code ?? e.message }));
  });
}
