// Parser for the lab's domjobinfo timelines (`*-domjobinfo-timeline.csv`: one `virsh domjobinfo
// --rawstats` reading per second), so real runs can be replayed through the verdict and the ETA.
import type { MigrationSample } from "./types";

/** The lab guests use 4 KiB pages (memory_page_size in every capture). */
const PAGE_SIZE = 4096;

const COLUMNS = [
  "utc",
  "elapsed_ms",
  "data_total",
  "data_processed",
  "data_remaining",
  "memory_bps",
  "dirty_rate_pages_s",
  "iteration",
  "postcopy_requests",
  "auto_converge_throttle_pct",
  "expected_downtime_ms",
] as const;

/**
 * Rows → samples. `atMs` = `originMs` + elapsed (the CSV's wall clock has 0.1 s resolution and no
 * date); empty cells (rates not reported yet, no throttle) become 0.
 */
export function parseTimelineCsv(text: string, opts: { originMs?: number; pageSize?: number } = {}): MigrationSample[] {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  const header = lines.shift()?.split(",") ?? [];
  const idx = Object.fromEntries(COLUMNS.map((c) => [c, header.indexOf(c)])) as Record<
    (typeof COLUMNS)[number],
    number
  >;
  const missing = COLUMNS.filter((c) => idx[c] < 0);
  if (missing.length > 0) throw new Error(`timeline CSV lacks columns: ${missing.join(", ")}`);
  const page = opts.pageSize ?? PAGE_SIZE;
  return lines.map((line, n) => {
    const cells = line.split(",");
    const num = (c: (typeof COLUMNS)[number]) => {
      const raw = cells[idx[c]]?.trim() ?? "";
      if (raw === "") return 0;
      const v = Number(raw);
      if (!Number.isFinite(v)) throw new Error(`timeline CSV line ${n + 2}: ${c} = ${JSON.stringify(raw)}`);
      return v;
    };
    const elapsedMs = num("elapsed_ms");
    return {
      atMs: (opts.originMs ?? 0) + elapsedMs,
      elapsedMs,
      processedBytes: num("data_processed"),
      remainingBytes: num("data_remaining"),
      totalBytes: num("data_total"),
      dirtyRateBps: num("dirty_rate_pages_s") * page,
      transferRateBps: num("memory_bps"),
      iteration: num("iteration"),
      throttlePct: num("auto_converge_throttle_pct"),
      expectedDowntimeMs: num("expected_downtime_ms"),
      postcopyRequests: num("postcopy_requests"),
    };
  });
}
