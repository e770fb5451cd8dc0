import { dirtyWindowPlan, readDirtyWindows } from "@/lib/migration/dirty-sampling";
import { measureDirtyRateMiBps } from "@/sim/physics/dirty-rate";
const GiB = 1024 ** 3, MiB = 1024 ** 2;
for (const c of [{ seed: 3195, M: 11, z: 0.57, D: 1417.087, W: 826.12, B: 1206.23 }, { seed: 5120, M: 22, z: 0.45, D: 17413, W: 1636.6, B: 11468.8 }, { seed: 6230, M: 2, z: 0.57, D: 701.39, W: 34.87, B: 599.6 }]) {
  const memoryBytes = c.M * GiB;
  const workload = { dirtyRateBps: c.D * MiB, workingSetBytes: c.W * MiB, zeroFraction: c.z, cpuBound: true };
  const rss = memoryBytes * (1 - c.z) + 31_744 * 1024;
  const plan = dirtyWindowPlan(rss / (c.B * MiB));
  const windows = plan.map((s, j) => ({ seconds: s, bytesPerSecond: measureDirtyRateMiBps(workload, 0, false, s, c.seed + 100 * j + s, memoryBytes) * MiB }));
  const e = readDirtyWindows(windows, memoryBytes, rss);
  console.log(plan, windows.map((w) => (w.bytesPerSecond / MiB).toFixed(0)), e.hotSetSeen, e.rateHidden, (e.dirtyRateBps / MiB).toFixed(1), (e.workingSetBytes / MiB).toFixed(1), "pess", (e.pessimistic.dirtyRateBps / MiB).toFixed(1), (e.pessimistic.workingSetBytes / MiB).toFixed(1));
}
