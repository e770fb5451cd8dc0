import "server-only";
import { type CompletedRun, learnedPathThroughput } from "@/lib/migration/path-throughput";
import { MIB } from "@/lib/migration/types";
import { db } from "./client";

type Row = {
  destHostId: string;
  totalTimeMs: number | null;
  dataProcessedBytes: bigint | null;
  memoryBytes: bigint;
  options: unknown;
};

function toRun(r: Row): CompletedRun {
  const mib = (r.options as { bandwidthMiB?: number | null } | null)?.bandwidthMiB;
  return {
    processedBytes: Number(r.dataProcessedBytes),
    totalTimeMs: r.totalTimeMs ?? 0,
    capBps: mib ? mib * MIB : null,
    memoryBytes: Number(r.memoryBytes),
  };
}

/** The last completed migrations out of a host (optionally to one destination), newest first. */
function completedFrom(sourceHostId: string, destHostId?: string, take = 20): Promise<Row[]> {
  return db.liveMigration.findMany({
    where: {
      sourceHostId,
      ...(destHostId ? { destHostId } : {}),
      state: "completed",
      totalTimeMs: { not: null },
      dataProcessedBytes: { not: null },
    },
    orderBy: { endedAt: "desc" },
    take,
    select: { destHostId: true, totalTimeMs: true, dataProcessedBytes: true, memoryBytes: true, options: true },
  });
}

/** Throughput learned from the last completed migrations between two hosts (bytes/s), or null. */
export async function learnedPathBps(sourceHostId: string, destHostId: string): Promise<number | null> {
  return learnedPathThroughput((await completedFrom(sourceHostId, destHostId)).map(toRun));
}

/** The same, for every destination a host has migrated to recently: destination id → bytes/s. */
export async function learnedPathsFrom(sourceHostId: string): Promise<Record<string, number>> {
  const byDest = new Map<string, CompletedRun[]>();
  for (const r of await completedFrom(sourceHostId, undefined, 200))
    byDest.set(r.destHostId, [...(byDest.get(r.destHostId) ?? []), toRun(r)]);
  const out: Record<string, number> = {};
  for (const [dest, runs] of byDest) {
    const bps = learnedPathThroughput(runs);
    if (bps !== null) out[dest] = bps;
  }
  return out;
}
