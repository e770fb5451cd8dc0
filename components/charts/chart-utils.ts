// Shared shapes, axis formatters and event markers for the migration charts. Pure: the live page
// builds the points once per update (memoised) and hands the same array to every chart, so the
// charts line up on one time axis and share a synchronised tooltip.
import { formatBytes } from "@/lib/format";
import type { LiveSample } from "@/lib/schemas/wire";

const MIB = 1024 ** 2;

/** One chart row; `t` is seconds since the job started (libvirt's time_elapsed). */
export type ChartPoint = {
  t: number;
  remaining: number;
  total: number;
  /** MiB/s; null during the first full copy, where QEMU has not measured it yet (reports 0). */
  dirty: number | null;
  transfer: number;
  /** [transfer, dirty] where the guest dirties faster than the link sends: the "won't converge" gap. */
  deficit: [number, number] | null;
  /** [dirty, transfer] where the link keeps ahead. */
  headroom: [number, number] | null;
  lambda: number | null;
  throttle: number;
  /** ms; null before QEMU reports one (0) and in post-copy, where it means nothing. */
  expectedDowntime: number | null;
  iteration: number;
};

export type MarkerTone = "operator" | "policy" | "system" | "failure";
export type EventMarker = { id: string; x: number; label: string; message: string; tone: MarkerTone };
export type EventLike = { id: string; at: string; source: string; type: string; message: string };
export type Prediction = { etaMs: number; lowMs: number; highMs: number };

export const CHART_COLORS = {
  remaining: "#38bdf8", // sky-400
  dirty: "#fb923c", // orange-400
  transfer: "#38bdf8",
  deficit: "#f43f5e", // rose-500
  headroom: "#10b981", // emerald-500
  throttle: "#a78bfa", // violet-400
  downtime: "#fbbf24", // amber-400
  limit: "#fb7185", // rose-400
  passes: "#5eead4", // teal-300
  grid: "#1e293b", // slate-800
  axis: "#94a3b8", // slate-400
  band: "#38bdf8",
  predicted: "#e2e8f0", // slate-200
} as const;

export const MARKER_COLORS: Record<MarkerTone, string> = {
  operator: "#7dd3fc",
  policy: "#c4b5fd",
  system: "#64748b",
  failure: "#fb7185",
};

/** Setup samples (no memory totals yet) would draw a fake drop to zero, so they are left out. */
export function toChartPoints(samples: readonly LiveSample[]): ChartPoint[] {
  const out: ChartPoint[] = [];
  for (const s of samples) {
    if (!(s.totalBytes > 0)) continue;
    const transfer = s.transferRateBps / MIB;
    const dirty = s.dirtyRateBps === 0 && s.iteration <= 1 ? null : s.dirtyRateBps / MIB;
    out.push({
      t: s.elapsedMs / 1000,
      remaining: s.remainingBytes,
      total: s.totalBytes,
      dirty,
      transfer,
      deficit: dirty !== null && dirty > transfer ? [transfer, dirty] : null,
      headroom: dirty !== null && dirty <= transfer ? [dirty, transfer] : null,
      lambda: dirty !== null && transfer > 0 ? dirty / transfer : null,
      throttle: s.throttlePct,
      expectedDowntime: s.expectedDowntimeMs > 0 && s.postcopyRequests === 0 ? s.expectedDowntimeMs : null,
      iteration: s.iteration,
    });
  }
  return out;
}

/** Wall-clock ms at which the job's elapsed time was 0 (to place events on the elapsed axis). */
export function jobOriginMs(samples: readonly LiveSample[]): number | null {
  const first = samples.find((s) => s.totalBytes > 0) ?? samples[0];
  return first ? Date.parse(first.at) - first.elapsedMs : null;
}

/**
 * Events as vertical markers. "…-requested" rows are skipped: the applied/failed row follows within
 * a second and says what happened. Events before the job existed (queued, launched) stay in the
 * timeline list only.
 */
export function eventMarkers(events: readonly EventLike[], originMs: number | null): EventMarker[] {
  if (originMs === null) return [];
  const out: EventMarker[] = [];
  for (const e of events) {
    if (e.type.endsWith("-requested")) continue;
    const x = (Date.parse(e.at) - originMs) / 1000;
    if (!Number.isFinite(x) || x < 0) continue;
    out.push({ id: e.id, x, label: e.type, message: e.message, tone: markerTone(e) });
  }
  return out;
}

export function markerTone(e: { source: string; type: string }): MarkerTone {
  if (/failed|lost|unreachable/.test(e.type)) return "failure";
  if (e.source === "operator") return "operator";
  if (e.source === "policy") return "policy";
  return "system";
}

/** One x domain for every chart: the samples, the markers after them, and the predicted band. */
/** A point of the predicted remaining-bytes curve (seconds since the job started, bytes). */
export type ProjectionPoint = { t: number; predicted: number };

export const toProjectionPoints = (pts: readonly { elapsedMs: number; remainingBytes: number }[]): ProjectionPoint[] =>
  pts.map((p) => ({ t: p.elapsedMs / 1000, predicted: p.remainingBytes }));

/** The x range: the samples, the markers, the ETA band and the projection — the future at most as long as the past (min 60 s). */
export function timeDomain(
  points: readonly ChartPoint[],
  markers: readonly EventMarker[],
  prediction: Prediction | null,
  projection: readonly ProjectionPoint[] = [],
): [number, number] {
  const first = points[0]?.t ?? 0;
  const last = points.at(-1)?.t ?? 0;
  let end = last;
  for (const m of markers) end = Math.max(end, m.x);
  if (prediction) end = Math.max(end, last + prediction.highMs / 1000);
  for (const p of projection) end = Math.max(end, p.t);
  end = Math.min(end, Math.max(last + 60, last + (last - first), ...markers.map((m) => m.x)));
  return [first, Math.max(end, first + 1)];
}

// ── axis ticks and formatters ───────────────────────────────────────────────────────────────────

/** 1, 2, 2.5, 5 × 10^k: the smallest "round" step ≥ raw. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return m * p;
  return 10 * p;
}

/** 0 … ≥ max in `count` round steps (decimal units: MiB/s, %, passes). */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const step = niceStep(max / count);
  const n = Math.ceil(max / step - 1e-9);
  return Array.from({ length: n + 1 }, (_, i) => i * step);
}

/** Like niceTicks, but round in the binary unit the values are read in (256 MiB, 2 GiB …). */
export function niceByteTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1024 ** 2];
  let unit = 1;
  while (unit * 1024 <= max && unit < 1024 ** 4) unit *= 1024;
  return niceTicks(max / unit, count).map((t) => t * unit);
}

/** Decades (and 3× in between when there are few) for a log axis, covering lo…hi (both > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const a = Math.floor(Math.log10(lo));
  const b = Math.ceil(Math.log10(hi));
  const out: number[] = [];
  for (let k = a; k <= b; k++) {
    out.push(10 ** k);
    if (b - a <= 3 && k < b) out.push(3 * 10 ** k);
  }
  return out;
}

/** Axis text must not wrap: Recharts breaks tick labels at spaces, not at no-break spaces. */
export const formatBytesTick = (v: number): string => formatBytes(v).replace(" ", "\u00a0");

export function formatRate(mibps: number | null | undefined): string {
  if (mibps === null || mibps === undefined || !Number.isFinite(mibps)) return "—";
  if (mibps >= 1024) return `${(mibps / 1024).toFixed(2)} GiB/s`;
  return `${mibps >= 100 ? mibps.toFixed(0) : mibps.toFixed(1)} MiB/s`;
}

export const formatRateTick = (mibps: number): string =>
  mibps >= 1024 ? `${(mibps / 1024).toFixed(1)} G` : `${Math.round(mibps)}`;

/** Elapsed seconds on the x axis: 45s, 2m05s, 1h02m. */
export function formatSecondsTick(s: number): string {
  const v = Math.max(0, Math.round(s));
  if (v < 60) return `${v}s`;
  if (v < 3600) return `${Math.floor(v / 60)}m${String(v % 60).padStart(2, "0")}s`;
  return `${Math.floor(v / 3600)}h${String(Math.floor((v % 3600) / 60)).padStart(2, "0")}m`;
}

export function formatMsTick(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}\u00a0ms`;
  return `${Number((ms / 1000).toFixed(ms < 10_000 ? 1 : 0))}\u00a0s`;
}

export const formatPctTick = (v: number): string => `${v}%`;
