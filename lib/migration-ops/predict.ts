import "server-only";
import { getVmWithHost } from "@/lib/db/prechecks";
import { getSshTarget } from "@/lib/db/hosts";
import { learnedPathsFrom } from "@/lib/db/path-throughput";
import { AppError } from "@/lib/errors";
import { asAppError } from "@/lib/hosts/ssh-errors";
import type { LearnedPath } from "@/lib/migration/path-throughput";
import { type DirtyInputs, type DirtyWindow, dirtyWindowPlan, readDirtyWindows } from "@/lib/migration/dirty-sampling";
import { measureDirtyRate, measureSendBytes } from "@/lib/migration-ops/dirty-rate";

export type Measurement = {
  vmId: string;
  /** Configured RAM. */
  memoryBytes: number;
  /** What a migration's first pass sends at most: the guest's resident RAM (untouched pages are zero pages, skipped). */
  sendBytes: number;
  dirtyRateBps: number;
  /** The hot set's point estimate (measured when `hotSetSeen`, else the middle of what is possible). */
  workingSetBytes: number;
  hotSetSeen: boolean;
  rateHidden: boolean;
  mayHaveFilled?: DirtyInputs;
  /** Both ends of the measurement's uncertainty (lib/migration/dirty-sampling). */
  optimistic: DirtyInputs;
  pessimistic: DirtyInputs;
  windows: DirtyWindow[];
  seconds: number;
  sourceNicBps: number;
  /** What completed migrations from this host to each destination taught (destination id → path and job cost). */
  learnedPaths: Record<string, LearnedPath>;
  measuredAt: string;
};

/**
 * Measures what the predictor needs. The prediction itself is pure (lib/migration) and runs in the
 * browser too, so the what-if controls re-predict instantly without another measurement.
 */
export async function predictForVm(vmId: string, seconds: number): Promise<Measurement> {
  const vm = await getVmWithHost(vmId);
  if (!vm) throw new AppError("NOT_FOUND", "No such VM.");
  if (vm.state !== "running")
    throw new AppError("CONFLICT", `${vm.name} is ${vm.state}: only a running guest dirties memory.`);
  const target = await getSshTarget(vm.hostId);
  if (!target) throw new AppError("CONFLICT", `${vm.host.name} has no confirmed host key.`);
  const fail = (e: unknown) => {
    throw asAppError(e);
  };
  const memoryBytes = Number(vm.memoryBytes);
  const sendBytes = await measureSendBytes(target, vm.host.libvirtUri, vm.name, memoryBytes).catch(fail);
  // Windows as long as the first pass is expected to last (at the NIC's speed, a lower bound),
  // so the hot set a pass will find is seen, not guessed.
  const nicBps = Number(vm.host.nicBps);
  const plan = dirtyWindowPlan(sendBytes / nicBps).map((s, i, all) =>
    i === all.length - 1 ? Math.max(s, seconds) : s,
  );
  const windows: DirtyWindow[] = [];
  for (const s of plan) windows.push(await measureDirtyRate(target, vm.host.libvirtUri, vm.name, s).catch(fail));
  const e = readDirtyWindows(windows, memoryBytes, sendBytes);
  return {
    vmId,
    memoryBytes,
    sendBytes,
    dirtyRateBps: e.dirtyRateBps,
    workingSetBytes: e.workingSetBytes,
    hotSetSeen: e.hotSetSeen,
    rateHidden: e.rateHidden,
    ...(e.mayHaveFilled ? { mayHaveFilled: e.mayHaveFilled } : {}),
    optimistic: e.optimistic,
    pessimistic: e.pessimistic,
    windows,
    seconds: plan.reduce((a, b) => a + b, 0),
    sourceNicBps: nicBps,
    learnedPaths: await learnedPathsFrom(vm.hostId),
    measuredAt: new Date().toISOString(),
  };
}
