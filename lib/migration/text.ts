// Tiny formatters for the human-readable reasons this module returns (English, base units in).
import { formatBytes } from "@/lib/format";
import { MIB } from "./types";

/** Bytes as "256 MiB" (the project-wide formatter). */
export const bytes = formatBytes;

/** Bytes/s as MiB/s, the unit virsh's --bandwidth and the lab notes use. */
export function rate(bps: number): string {
  const v = bps / MIB;
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} MiB/s`;
}

/** ms as "280 ms", "12.9 s", "4 min 10 s", "2 h 5 min". */
export function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "∞";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 100) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

export function pct(fraction: number): string {
  return `${Math.round(fraction * 100)} %`;
}

export function ratio(x: number): string {
  return x.toFixed(2);
}
