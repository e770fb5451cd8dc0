import "server-only";
import { db } from "@/lib/db/client";
import { getSshTarget } from "@/lib/db/hosts";
import { AppError } from "@/lib/errors";
import { asAppError } from "@/lib/hosts/ssh-errors";
import { measureDirtyRate } from "@/lib/migration-ops/dirty-rate";

export type Measurement = { vmId: string; memoryBytes: number; dirtyRateBps: number; seconds: number; sourceNicBps: number; measuredAt: string };

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
  const m = await measureDirtyRate(target, vm.host.libvirtUri, vm.name, seconds).catch((e) => {
    throw asAppError(e);
  });
  return {
    vmId,
    memoryBytes: Number(vm.memoryBytes),
    dirtyRateBps: m.bytesPerSecond,
    seconds: m.seconds,
    sourceNicBps: Number(vm.host.nicBps),
    measuredAt: new Date().toISOString(),
  };
}
