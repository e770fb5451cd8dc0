// Time display for the migrations pages. UTC everywhere (like the audit log and the date filters),
// which also keeps server and browser renders identical.
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return "—";
  return `${new Date(iso).toISOString().replace("T", " ").slice(0, 19)}Z`;
}

/** "14:02:11 UTC" for a wall-clock ms value. */
export function formatUtcClock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}

/** Compact duration for headers and tables: 850 ms, 45 s, 1 m 20 s, 2 h 05 m. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} m ${String(s % 60).padStart(2, "0")} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} m`;
}

/** What is left of an ETA measured at the last sample, seen from `now`. */
export function etaFromNow(
  etaMs: number | null | undefined,
  lastSampleAt: string | null | undefined,
  now: number | null,
): number | null {
  if (etaMs === null || etaMs === undefined) return null;
  if (!lastSampleAt || now === null) return etaMs;
  return Math.max(0, etaMs - Math.max(0, now - Date.parse(lastSampleAt)));
}
