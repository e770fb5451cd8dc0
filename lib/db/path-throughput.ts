import "server-only";
import { type CompletedRun, learnedPathThroughput } from "@/lib/migration/path-throughput";
import { MIB } from "@/lib/migration/types";
import { db } from "./client";

/** Throughput learned from the last completed migrations between two hosts (bytes/s), or null. */
export async function learnedPathBps(sourceHostId: string, destHostId: string): Promise<number | null> {
  const rows = await db.liveMigration.findMany({
    where: { sourceHostId, destHostId, state: "completed", totalTimeMs: { not: null }, dataProcessedBytes: { not: null } },
    orderBy: { endedAt: "desc" },
    take: 20,
    select: { totalTimeMs: true, dataProcessedBytes: true, options: true },
  });
  const runs: CompletedRun[] = rows.map((r) => {
    const mib = (r.options as { bandwidthMiB?: number | null } | null)?.bandwidthMiB;
    return { processedBytes: Number(r.dataProcessedBytes), totalTimeMs: r.totalTimeMs ?? 0, capBps: mib ? mib * MIB : null };
  });
  return learnedPathThroughput(runs);
}
