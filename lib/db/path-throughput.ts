import "server-only";
import {
  type CompletedRun,
  type LearnedPath,
  learnedJobOverheadMs,
  learnedPathThroughput,
} from "@/lib/migration/path-throughput";
import { MIB } from "@/lib/migration/types";
import { storedLaunchOptions } from "@/lib/schemas/migrations";
import { jobInfoFromRawStats } from "@/lib/virsh/job-info";
import { db } from "./client";

type Row = {
  destHostId: string;
  totalTimeMs: number | null;
  dataProcessedBytes: bigint | null;
  memoryBytes: bigint;
  options: unknown;
  completedStats: unknown;
};

function toRun(r: Row): CompletedRun {
  const mib = storedLaunchOptions(r.options).bandwidthMiB;
  return {
    processedBytes: Number(r.dataProcessedBytes),
    totalTimeMs: r.totalTimeMs ?? 0,
    capBps: mib ? mib * MIB : null,
    memoryBytes: Number(r.memoryBytes),
    transferBps: transferBpsOf(r.completedStats),
  };
}

/** The completed record's memory_bps (raw `domjobinfo --rawstats` keys, as finish.ts stores them). */
function transferBpsOf(stats: unknown): number | null {
  if (!stats || typeof stats !== "object" || Array.isArray(stats)) return null;
  try {
    return jobInfoFromRawStats("completed", stats as Record<string, string>).memoryBytesPerSecond ?? null;
  } catch {
    return null; // a record Convoy cannot read teaches nothing
  }
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
    select: {
      destHostId: true,
      totalTimeMs: true,
      dataProcessedBytes: true,
      memoryBytes: true,
      options: true,
      completedStats: true,
    },
  });
}

/** Throughput learned from the last completed migrations between two hosts (bytes/s), or null. */
export async function learnedPathBps(sourceHostId: string, destHostId: string): Promise<number | null> {
  return learnedPathThroughput((await completedFrom(sourceHostId, destHostId)).map(toRun));
}

/** The same, and the job's cost beyond its transfer, for every destination a host has migrated to recently. */
export async function learnedPathsFrom(sourceHostId: string): Promise<Record<string, LearnedPath>> {
  const byDest = new Map<string, CompletedRun[]>();
  for (const r of await completedFrom(sourceHostId, undefined, 200))
    byDest.set(r.destHostId, [...(byDest.get(r.destHostId) ?? []), toRun(r)]);
  const out: Record<string, LearnedPath> = {};
  for (const [dest, runs] of byDest.entries())
    out[dest] = { pathBps: learnedPathThroughput(runs), jobOverheadMs: learnedJobOverheadMs(runs) };
  return out;
}
