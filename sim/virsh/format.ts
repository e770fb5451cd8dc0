// Byte-exact re-implementations of virsh 9.0's printf formats (tools/virsh-*.c, tools/vsh-table.c).
// Every function is checked line by line against the real captures in sim/fixtures/.

/** C's `%-Ns`: left-justify to width N, never truncate. */
export function padRight(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** C's `%Ns`: right-justify to width N. */
export function padLeft(s: string, n: number): string {
  return s.length >= n ? s : " ".repeat(n - s.length) + s;
}

/**
 * vshTable: each cell preceded by one space, columns joined by two more spaces, the last column
 * not padded (no trailing blanks), and a rule of Σ(width + 3) dashes under the header.
 */
export function vshTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `${cells.map((c, i) => ` ${i === cells.length - 1 ? c : padRight(c, widths[i] ?? 0)}`).join("  ")}\n`;
  let out = line(header);
  out += `${"-".repeat(widths.reduce((a, w) => a + w + 3, 0))}\n`;
  for (const r of rows) out += line(r);
  return out;
}

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"] as const;

/** vshPrettyCapacity + "%-.3lf %s": "64.187 MiB", "0.000 B". */
export function prettyCapacity(bytes: number): string {
  let unit = 0;
  let v = bytes;
  while (unit < UNITS.length - 1 && bytes >= 1024 ** (unit + 1)) unit++;
  v = bytes / 1024 ** unit;
  return `${v.toFixed(3)} ${UNITS[unit]}`;
}

/** "%-17s %-12llu ms" and friends: the label column of domjobinfo. */
export function jobLine(label: string, value: string, suffix?: string): string {
  return `${padRight(label, 17)} ${suffix === undefined ? padRight(value, 12) : `${padRight(value, 12)} ${suffix}`}\n`;
}

/** "%-17s %-.3lf %s": a prettified byte count after the label. */
export function jobBytesLine(label: string, bytes: number, perSecond = false): string {
  return `${padRight(label, 17)} ${prettyCapacity(bytes)}${perSecond ? "/s" : ""}\n`;
}

/** dominfo's "%-15s %s". */
export function infoLine(label: string, value: string): string {
  return `${padRight(label, 15)} ${value}\n`;
}

/** nodeinfo's "%-20s %s". */
export function nodeLine(label: string, value: string): string {
  return `${padRight(label, 20)} ${value}\n`;
}

/** nodememstats' "%-7s: %20llu KiB". */
export function memStatLine(field: string, kib: number): string {
  return `${padRight(field, 7)}: ${padLeft(String(Math.round(kib)), 20)} KiB\n`;
}

/** `virsh version`: the libvirt API version of the QEMU driver is the library version. */
export function formatVersion(libvirt: string, qemu: string): string {
  return (
    `Compiled against library: libvirt ${libvirt}\n` +
    `Using library: libvirt ${libvirt}\n` +
    `Using API: QEMU ${libvirt}\n` +
    `Running hypervisor: QEMU ${qemu}\n`
  );
}

/** printf("%.1lf") of seconds, as dominfo prints CPU time. */
export function cpuSeconds(ns: number): string {
  return `${(ns / 1e9).toFixed(1)}s`;
}
