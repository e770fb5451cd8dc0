import "server-only";
import { learnedPathBps } from "./path-throughput";
import { getMigration, listEvents, listSamples } from "@/lib/db/migrations";
import { lttb } from "@/lib/migration/lttb";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import { completedStats, type MigrationView, shownLaunchOptions, storedJson, storedVerdict } from "@/lib/schemas/wire";

// Enough points for a chart as wide as a screen; the raw samples stay in Postgres.
const MAX_POINTS = 1_500;

function locationOf(m: {
  guestLocation: string | null;
  guestLocationHost: string | null;
  guestLocationDetail: string | null;
  guestLocationSettled: boolean | null;
  guestLocationAt: Date | null;
}) {
  const text = whereaboutsText({ location: m.guestLocation, host: m.guestLocationHost });
  return text
    ? {
        text,
        detail: m.guestLocationDetail,
        settled: m.guestLocationSettled,
        at: m.guestLocationAt?.toISOString() ?? null,
      }
    : null;
}

/** One migration as its page, its SSE snapshot and the API show it; JSON columns parsed here. */
export async function getMigrationView(id: string): Promise<MigrationView | null> {
  const m = await getMigration(id);
  if (!m) return null;
  const [samples, events, learned] = await Promise.all([
    listSamples(id),
    listEvents(id),
    learnedPathBps(m.sourceHostId, m.destHostId),
  ]);
  return {
    id: m.id,
    vmName: m.vmName,
    vmUuid: m.vmUuid,
    source: { id: m.sourceHost.id, name: m.sourceHost.name },
    dest: { id: m.destHost.id, name: m.destHost.name },
    state: m.state,
    options: shownLaunchOptions.parse(m.options),
    prediction: storedJson.parse(m.prediction),
    prechecks: storedJson.parse(m.prechecks),
    verdict: storedVerdict.parse(m.verdict),
    progressPct: m.progressPct,
    error: m.error,
    memoryBytes: Number(m.memoryBytes),
    vcpus: m.vcpus,
    linkBps: Math.min(Number(m.sourceHost.nicBps), Number(m.destHost.nicBps)),
    learnedPathBps: learned,
    guestPaused: m.guestPaused,
    policyName: m.policyName,
    restartOfId: m.restartOfId,
    createdAt: m.createdAt.toISOString(),
    startedAt: m.startedAt?.toISOString() ?? null,
    endedAt: m.endedAt?.toISOString() ?? null,
    downtimeMs: m.downtimeMs,
    totalTimeMs: m.totalTimeMs,
    dataProcessedBytes: m.dataProcessedBytes === null ? null : Number(m.dataProcessedBytes),
    completedStats: completedStats.parse(m.completedStats),
    postcopyBytes: m.postcopyBytes === null ? null : Number(m.postcopyBytes),
    guestLocation: locationOf(m),
    guestHealth: m.guestHealth,
    guestHealthReason: m.guestHealthReason,
    samples: lttb(
      samples,
      MAX_POINTS,
      (s) => Date.parse(s.at),
      (s) => s.remainingBytes,
    ),
    sampleCount: samples.length,
    events: events.map((e) => ({
      id: e.id.toString(),
      at: e.at.toISOString(),
      source: e.source,
      type: e.type,
      message: e.message,
      data: storedJson.parse(e.data),
    })),
  };
}
