// Pure display helpers shared by pages and charts.
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return "—";
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[i]}`;
}

export function formatAgo(iso: string | null, now = Date.now()): string {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.round(s / 60)}m ago`;
  return `${Math.round(s / 3600)}h ago`;
}

// Bidirectional-text controls (LRE/RLE/PDF/LRO/RLO, the isolates LRI/RLI/FSI/PDI, LRM/RLM and the
// Arabic letter mark): a name holding U+202E shows its tail reversed ("exe.txt" looks like
// "txt.exe") and can make one VM pass for another. Names are stored and sent to virsh verbatim.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** A host, VM, window or user name as pages and the CSV show it: bidi controls as visible `\u202E`. */
export function displayName(name: string | null | undefined): string {
  return (name ?? "").replace(
    BIDI_CONTROLS,
    (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
}
