// The shapes that cross a process boundary, defined once: the worker's NOTIFY payloads, the SSE
// stream, the JSON of /api/* and /api/v1/*, and what the browser parses. Browser-safe (zod only);
// the types are inferred from the schemas, JSON columns read from Postgres are parsed with them.
import { z } from "zod";
import type { ConvergenceAssessment, Verdict } from "@/lib/migration/stall";
import type { MigrationSample, MigrationState } from "@/lib/migration/types";
import { launchOptions } from "@/lib/schemas/migrations";

/** Timestamps travel as `Date.toISOString()`. */
const isoTime = z.iso.datetime();
const nullableTime = isoTime.nullable();

export const MIGRATION_STATES = [
  "queued",
  "launching",
  "running",
  "postcopy",
  "completed",
  "failed",
  "cancelled",
  "lost",
] as const satisfies readonly MigrationState[];
export const migrationState = z.enum(MIGRATION_STATES);

/**
 * One reading of the source's job (bytes, bytes/s, ms): the domain sample (`MigrationSample`) with
 * an ISO timestamp instead of epoch ms. Stored, notified, streamed and charted in this one shape.
 */
export const liveSample = z.object({
  at: isoTime,
  elapsedMs: z.number(),
  processedBytes: z.number(),
  remainingBytes: z.number(),
  totalBytes: z.number(),
  dirtyRateBps: z.number(),
  transferRateBps: z.number(),
  iteration: z.number(),
  throttlePct: z.number(),
  expectedDowntimeMs: z.number(),
  postcopyRequests: z.number(),
}) satisfies z.ZodType<Omit<MigrationSample, "atMs"> & { at: string }>;
export type LiveSample = z.infer<typeof liveSample>;

/** The wire sample as the verdict, ETA and what-if code take it (epoch ms). */
export function toDomain(s: LiveSample): MigrationSample {
  const { at, ...rest } = s;
  return { atMs: Date.parse(at), ...rest };
}

const VERDICTS = [
  "converging",
  "stalled",
  "wont-converge",
  "too-early",
  "postcopy",
] as const satisfies readonly Verdict[];

const maybeNumber = z.number().nullable().catch(null);

/**
 * The worker's verdict on a running migration (lib/migration/stall.ts), as stored in the row's JSON
 * column and carried with each sample. Read leniently field by field (a row written by an older
 * Convoy still shows); a verdict that is not one of the five is no verdict.
 */
export const convergenceAssessment = z.object({
  verdict: z.enum(VERDICTS),
  since: maybeNumber,
  reason: z.string().catch(""),
  etaMs: maybeNumber,
  lambda: maybeNumber,
  expectedDowntimeMs: maybeNumber,
  passesSinceLow: z.number().catch(0),
  throttleRamping: z.boolean().catch(false),
}) satisfies z.ZodType<ConvergenceAssessment>;

/** The verdict column as read: null when there is none or it cannot be read. */
export const storedVerdict = convergenceAssessment.nullable().catch(null);

/** A JSON column as stored (Prisma's JsonValue, parsed into the wire's JSON type). */
export const storedJson = z.json().nullable();

export const migrationEventView = z.object({
  id: z.string(),
  at: isoTime,
  source: z.string(),
  type: z.string(),
  message: z.string(),
  /** Per event type (a control's read-back value, the relaunch's id, …); JSON as stored. */
  data: storedJson,
});
export type MigrationEventView = z.infer<typeof migrationEventView>;

/** A migration's launch options as shown; unreadable stored options show QEMU's and Convoy's defaults. */
export const shownLaunchOptions = launchOptions.catch(() => launchOptions.parse({}));

/** The completed job's raw `domjobinfo --completed --rawstats` keys and values (a JSON column). */
export const completedStats = z.record(z.string(), z.string()).nullable().catch(null);

export const hostRef = z.object({ id: z.string(), name: z.string() });

/** One migration as its page, its SSE snapshot and GET /api/v1/migrations/{id} show it. */
export const migrationView = z.object({
  id: z.string(),
  vmName: z.string(),
  vmUuid: z.string(),
  source: hostRef,
  dest: hostRef,
  state: migrationState,
  options: shownLaunchOptions,
  prediction: storedJson,
  prechecks: storedJson,
  verdict: storedVerdict,
  progressPct: z.number(),
  error: z.string().nullable(),
  memoryBytes: z.number(),
  vcpus: z.number(),
  /** The slower of the two hosts' migration NICs: the most bandwidth a fix can ask for. */
  linkBps: z.number(),
  /** What completed migrations between these two hosts really carried (bytes/s); null if none yet. */
  learnedPathBps: z.number().nullable(),
  guestPaused: z.boolean(),
  policyName: z.string().nullable(),
  restartOfId: z.string().nullable(),
  createdAt: isoTime,
  startedAt: nullableTime,
  endedAt: nullableTime,
  downtimeMs: z.number().nullable(),
  totalTimeMs: z.number().nullable(),
  dataProcessedBytes: z.number().nullable(),
  completedStats,
  /** Bytes sent after the switch to post-copy (null without one, or without figures). */
  postcopyBytes: z.number().nullable(),
  /** Where the guest is, as both hosts last answered after the job ended; null while active. */
  guestLocation: z
    .object({ text: z.string(), detail: z.string().nullable(), settled: z.boolean().nullable(), at: nullableTime })
    .nullable(),
  /** The landed guest's health (checking, healthy, unhealthy, unknown); null = not checked. */
  guestHealth: z.string().nullable(),
  guestHealthReason: z.string().nullable(),
  /** Downsampled for the charts (at most 1,500 points); `sampleCount` is how many are stored. */
  samples: z.array(liveSample),
  sampleCount: z.number(),
  events: z.array(migrationEventView),
});
export type MigrationView = z.infer<typeof migrationView>;

/** A sampling tick's result for one migration: stored, then notified and streamed as is. */
export const sampleUpdate = z.object({
  migrationId: z.string(),
  sample: liveSample,
  progressPct: z.number(),
  verdict: convergenceAssessment,
});
export type SampleUpdate = z.infer<typeof sampleUpdate>;

/** What a worker NOTIFYs and the SSE route relays (its `kind` is the SSE event's name). */
export const liveUpdate = z.discriminatedUnion("kind", [
  sampleUpdate.extend({ kind: z.literal("sample") }),
  z.object({ kind: z.literal("event"), migrationId: z.string(), event: migrationEventView }),
  z.object({
    kind: z.literal("state"),
    migrationId: z.string(),
    state: migrationState,
    error: z.string().nullable().optional(),
  }),
]);
export type LiveUpdate = z.infer<typeof liveUpdate>;

/** A host's own facts (bytes as numbers: < 2^53): the fleet, the host page and /api/v1/hosts. */
export const hostView = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  port: z.number(),
  status: z.string(),
  reachable: z.boolean(),
  lastSeenAt: nullableTime,
  lastError: z.string().nullable(),
  lastErrorKind: z.string().nullable(),
  pendingFingerprint: z.string().nullable(),
  hostKeyFingerprint: z.string().nullable(),
  libvirtVersion: z.string().nullable(),
  qemuVersion: z.string().nullable(),
  cpuModel: z.string().nullable(),
  cores: z.number().nullable(),
  memoryTotalBytes: z.number().nullable(),
  memoryFreeBytes: z.number().nullable(),
  removedAt: nullableTime,
});
export type HostView = z.infer<typeof hostView>;

/** A VM's disks as inventory stored them (the VM row's JSON column); what the fleet shows of each. */
export const vmDisks = z.array(
  z.object({ target: z.string(), source: z.string().nullable(), shared: z.boolean(), readonly: z.boolean() }),
);

export const fleetVm = z.object({
  id: z.string(),
  uuid: z.string(),
  name: z.string(),
  state: z.string(),
  stateReason: z.string().nullable(),
  vcpus: z.number(),
  memoryBytes: z.number(),
  storage: z.string(),
  disks: vmDisks,
  migrating: z.boolean(),
});
export type FleetVm = z.infer<typeof fleetVm>;

/** A host with its VMs as last read over SSH, and the migrations leaving and heading to it. */
export const fleetHost = hostView.extend({
  vmCount: z.number(),
  inflightOut: z.number(),
  inflightIn: z.number(),
  vms: z.array(fleetVm),
});
export type FleetHost = z.infer<typeof fleetHost>;
export const fleet = z.array(fleetHost);

/** A migration as the Migrations page lists it (in flight or history) and GET /api/migrations sends it. */
export const migrationListItem = z.object({
  id: z.string(),
  vmName: z.string(),
  source: z.string(),
  dest: z.string(),
  state: migrationState,
  progressPct: z.number(),
  verdict: z
    .object({
      verdict: z.enum(VERDICTS),
      reason: z.string(),
      etaMs: z.number().nullable(),
      since: z.number().nullable(),
    })
    .nullable(),
  lastSampleAt: nullableTime,
  createdAt: isoTime,
  startedAt: nullableTime,
  endedAt: nullableTime,
  startedBy: z.string().nullable(),
  downtimeMs: z.number().nullable(),
  totalTimeMs: z.number().nullable(),
  dataProcessedBytes: z.number().nullable(),
  error: z.string().nullable(),
  /** Where the guest is after the job ended ("running on hv1", "unknown: hv2 cannot be asked"); null while active. */
  guestWhere: z.string().nullable(),
  /** false while Convoy is still asking (a paused copy, a host that cannot be asked). */
  guestWhereSettled: z.boolean().nullable(),
  /** The landed guest's health (checking, healthy, unhealthy, unknown); null = not checked. */
  guestHealth: z.string().nullable(),
  guestHealthReason: z.string().nullable(),
});
export type MigrationListItem = z.infer<typeof migrationListItem>;
export const migrationList = z.object({
  active: z.array(migrationListItem),
  history: z.array(migrationListItem),
  historyLimit: z.number(),
});
export type MigrationList = z.infer<typeof migrationList>;
