import "server-only";
import { db } from "@/lib/db/client";
import { getSshTarget } from "@/lib/db/hosts";
import { AppError } from "@/lib/errors";
import { asAppError } from "@/lib/hosts/ssh-errors";
import { readDirtyWindows } from "@/lib/migration/dirty-sampling";
import { measureDirtyRate } from "@/lib/migration-ops/dirty-rate";

export type Measurement = {
  vmId: string;
  memoryBytes: number;
  dirtyRateBps: number;
  /** The hot set, when the two windows show the guest re-dirtying the same pages; null = unknown. */
  workingSetBytes: number | null;
  seconds: number;
  sourceNicBps: number;
  measuredAt: string;
};

/**
 * Measures what the predictor needs. The prediction itself is pure (lib/migration/predict) and runs
 * in the browser too, so the what-if controls re-predict instantly without another measurement.
 */
export async function predictForVm(vmId: string, seconds: number): Promise<Measurement> {
  const vm = await db.vm.findUnique({ where: { id: vmId }, include: { host: true } });
  if (!vm) throw new AppError("NOT_FOUND", "No such VM.");
  if (vm.state !== "running") throw new AppError("CONFLICT", `${vm.name} is ${vm.state}: only a running guest dirties memory.`);
  const target = await getSshTarget(vm.hostId);
  if (!target) throw new AppError("CONFLICT", `${vm.host.name} has no confirmed host key.`);
  // Two windows (lib/migration/dirty-sampling): one alone would hide a hot set that never converges.
  const measure = (s: number) =>
    measureDirtyRate(target, vm.host.libvirtUri, vm.name, s).catch((e) => {
      throw asAppError(e);
    });
  const short = await measure(1);
  const long = await measure(Math.max(2, seconds));
  const { dirtyRateBps, workingSetBytes } = readDirtyWindows(short, long);
  return {
    vmId,
    memoryBytes: Number(vm.memoryBytes),
    dirtyRateBps,
    workingSetBytes,
    seconds: short.seconds + long.seconds,
    sourceNicBps: Number(vm.host.nicBps),
    measuredAt: new Date().toISOString(),
  };
}
