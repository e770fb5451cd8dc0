// What the pre-launch prediction learns per host pair (lib/db/path-throughput.ts) from completed
// migrations stored in a real Postgres: the path's throughput and the job's cost beyond its
// transfer, read from the stored `domjobinfo --completed --rawstats` record (memory_bps).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";

const { db } = await import("@/lib/db/client");
const { learnedPathsFrom } = await import("@/lib/db/path-throughput");
const { createInventoriedHost } = await import("./support/seed-hosts");

const MiB = 2 ** 20;
let hv1 = "";
let hv2 = "";
let hv3 = "";

/** A completed run as finish.ts stores it: figures in columns, the raw record in completedStats. */
async function completed(dest: string, o: { ms: number; mib: number; bps?: number; capMiB?: number; memMiB: number }) {
  await db.liveMigration.create({
    data: {
      vmUuid: randomUUID(),
      vmName: "learn",
      sourceHostId: hv1,
      destHostId: dest,
      state: "completed",
      options: o.capMiB ? { bandwidthMiB: o.capMiB } : {},
      memoryBytes: BigInt(o.memMiB * MiB),
      vcpus: 1,
      totalTimeMs: o.ms,
      dataProcessedBytes: BigInt(o.mib * MiB),
      endedAt: new Date(),
      completedStats: {
        type: "3",
        operation: "2",
        time_elapsed: String(o.ms),
        data_processed: String(o.mib * MiB),
        ...(o.bps ? { memory_bps: String(o.bps * MiB) } : {}),
      },
    },
  });
}

beforeAll(async () => {
  const tag = randomUUID().slice(0, 8);
  hv1 = await createInventoriedHost(`learn-a-${tag}`);
  hv2 = await createInventoriedHost(`learn-b-${tag}`);
  hv3 = await createInventoriedHost(`learn-c-${tag}`);
  // hv1 → hv2: two capped runs (the cap held them: no path figure) and an uncapped one.
  await completed(hv2, { ms: 8300, mib: 81, bps: 17, capMiB: 16, memMiB: 128 });
  await completed(hv2, { ms: 18_500, mib: 139, bps: 8, capMiB: 8, memMiB: 256 });
  await completed(hv2, { ms: 3000, mib: 160, bps: 64, memMiB: 192 });
  // hv1 → hv3: an old record without memory_bps.
  await completed(hv3, { ms: 5000, mib: 150, memMiB: 192 });
});

describe("learnedPathsFrom", () => {
  it("learns the job's own cost from each record's transfer rate, and the path from QEMU's rate of the uncapped run", async () => {
    const learned = await learnedPathsFrom(hv1);
    // Costs: 8300 − 81/17 s = 3535 ms, 18500 − 139/8 s = 1125 ms, 3000 − 160/64 s = 500 ms; with the
    // assumed 1500 ms as one more run, the lower median is 1125.
    expect(learned[hv2]?.jobOverheadMs).toBeCloseTo(1125, 0);
    expect(learned[hv2]!.pathBps! / MiB).toBeCloseTo(64, 6);
    // Without QEMU's rate: the path from bytes / elapsed, and no job cost.
    expect(learned[hv3]).toEqual({ pathBps: (150 * MiB) / 5, jobOverheadMs: null });
  });
});
