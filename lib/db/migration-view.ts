import "server-only";
import { learnedPathBps } from "./path-throughput";
import { getMigration, listEvents, listSamples } from "@/lib/db/migrations";
import { lttb } from "@/lib/migration/lttb";
import { whereaboutsText } from "@/lib/migration/whereabouts";
import type { LiveSample } from "@/lib/realtime/channels";

// Enough points for a chart as wide as a screen; the raw samples stay in Postgres.
const MAX_POINTS = 1_500;

export type MigrationEventView = {
  id: string;
  at: string;
  source: string;
  type: string;
  message: string;
  data: unknown;
};

export type MigrationView = {
  id: string;
  vmName: string;
  vmUuid: string;
  source: { id: string; name: string };
  dest: { id: string; name: string };
  state: string;
  options: Record<string, unknown>;
  prediction: unknown;
  prechecks: unknown;
  verdict: unknown;
  progressPct: number;
  error: string | null;
  memoryBytes: number;
  vcpus: number;
  /** The slower of the two hosts' migration NICs: the most bandwidth a fix can ask for. */
  linkBps: number;
  /** What completed migrations between these two hosts really carried (bytes/s); null if none yet. */
  learnedPathBps: number | null;
  guestPaused: boolean;
  policyName: string | null;
  restartOfId: string | null;
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  downtimeMs: number | null;
  totalTimeMs: number | null;
  dataProcessedBytes: number | null;
  completedStats: unknown;
  /** Bytes sent after the switch to post-copy (null without one, or without figures). */
  postcopyBytes: number | null;
  /** Where the guest is, as both hosts last answered after the job ended; null while active. */
  guestLocation: { text: string; detail: string | null; settled: boolean | null; at: string | null } | null;
  /** The landed guest's health (checking, healthy, unhealthy, unknown); null = not checked. */
  guestHealth: string | null;
  guestHealthReason: string | null;
  samples: LiveSample[];
  sampleCount: number;
  events: MigrationEventView[];
};

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
    options: m.options as Record<string, unknown>,
    prediction: m.prediction,
    prechecks: m.prechecks,
    verdict: m.verdict,
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
    completedStats: m.completedStats,
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
      data: e.data,
    })),
  };
}
