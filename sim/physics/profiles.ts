// Guest workload presets. The numbers are documented in README.md ("Profiles"); the "stress" one is
// the reported case: 8 vCPUs, 72,000 MiB, `stress -c 6 -m 4 --vm-bytes 512M` (4 workers each
// rewriting 512 MiB, so a 2 GiB hot set rewritten faster than a 10 Gb/s link can send it).
import type { GuestWorkload, ProfileName } from "./types";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

interface Preset {
  dirtyRateBps: number;
  workingSetBytes: number;
  /** Non-zero (touched) memory besides the hot set: kernel, page cache, heaps. */
  usedBytes: (memoryBytes: number) => number;
  vcpus?: number;
}

const PRESETS: Record<ProfileName, Preset> = {
  // A booted, quiet guest: timers, logging, a little page-cache churn.
  idle: { dirtyRateBps: 2 * MiB, workingSetBytes: 64 * MiB, usedBytes: () => 512 * MiB },
  // Application server: request buffers, sessions, JIT/GC nursery.
  web: { dirtyRateBps: 40 * MiB, workingSetBytes: 384 * MiB, usedBytes: () => 1.5 * GiB },
  // OLTP database: a buffer pool filling most of RAM, a few GiB of it hot.
  database: { dirtyRateBps: 250 * MiB, workingSetBytes: 4 * GiB, usedBytes: (m) => 0.6 * m },
  // stress -m 4 --vm-bytes 512M: 2 GiB rewritten at ~2.5 GiB/s (memset-bound on 4 vCPUs).
  stress: { dirtyRateBps: 2.5 * GiB, workingSetBytes: 2 * GiB, usedBytes: () => 1.5 * GiB, vcpus: 8 },
};

export function workloadProfile(name: ProfileName, memoryBytes: number): GuestWorkload {
  const p = PRESETS[name];
  if (!(memoryBytes > 0)) throw new RangeError(`memoryBytes must be > 0, got ${memoryBytes}`);
  const workingSetBytes = Math.min(p.workingSetBytes, name === "database" ? memoryBytes / 2 : memoryBytes);
  const nonZero = Math.min(memoryBytes, workingSetBytes + p.usedBytes(memoryBytes));
  const workload: GuestWorkload = {
    dirtyRateBps: p.dirtyRateBps,
    workingSetBytes,
    zeroFraction: 1 - nonZero / memoryBytes,
    cpuBound: true,
  };
  if (p.vcpus !== undefined) workload.vcpus = p.vcpus;
  return workload;
}
