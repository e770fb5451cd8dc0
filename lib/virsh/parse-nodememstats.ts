// `virsh nodememstats` (KiB) → bytes. This is the host's real memory (nodeinfo can under-report).
import { VirshParseError } from "./errors";
import { labelValueLines, parseKiB } from "./text";

export type NodeMemStats = {
  totalBytes: number;
  freeBytes: number;
  buffersBytes: number | null;
  cachedBytes: number | null;
  /** Every reported field in bytes, including any this type does not name. */
  all: Record<string, number>;
};

const P = "parseNodeMemStats";

export function parseNodeMemStats(text: string): NodeMemStats {
  const all: Record<string, number> = {};
  for (const { label, value } of labelValueLines(text, P)) all[label] = parseKiB(value, P);
  const { total, free, buffers, cached } = all;
  if (total === undefined || free === undefined) throw new VirshParseError(P, "missing total or free", text);
  return { totalBytes: total, freeBytes: free, buffersBytes: buffers ?? null, cachedBytes: cached ?? null, all };
}
