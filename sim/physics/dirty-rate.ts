// What QEMU's calc-dirty-rate in page-sampling mode (virsh domdirtyrate-calc) reports: it hashes
// 512 sampled pages per GiB at the start and the end of the period and scales the share that
// changed to the RAM size. A page rewritten many times counts once, so a hot set W rewritten
// faster than the period reads as W / period (lab: 256 MiB hot set → 240-268 MB/s).
import { createRng } from "./rng";
import type { GuestWorkload } from "./types";

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const SAMPLE_PAGES_PER_GIB = 512;

/** Binomial(n, p) draw; exact for small n, normal approximation above (same seed → same value). */
function binomial(n: number, p: number, rng: ReturnType<typeof createRng>): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  if (n <= 20_000) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.next() < p) k++;
    return k;
  }
  const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * rng.normal());
  return Math.min(n, Math.max(0, k));
}

/**
 * @param memoryBytes addition (optional): guest RAM, which sets the sample count (512/GiB) and so
 *   the noise; defaults to max(4 × working set, 1 GiB).
 * @returns integer MiB/s (QEMU truncates), 0 when the guest is paused.
 */
export function measureDirtyRateMiBps(
  workload: GuestWorkload,
  throttlePercent: number,
  guestPaused: boolean,
  calcSeconds: number,
  seed: number,
  memoryBytes?: number,
): number {
  if (guestPaused || !(calcSeconds > 0)) return 0;
  const ram = memoryBytes ?? Math.max(4 * workload.workingSetBytes, GiB);
  const throttle = workload.cpuBound ? Math.min(Math.max(throttlePercent, 0), 99) / 100 : 0;
  const rate = Math.max(0, workload.dirtyRateBps) * (1 - throttle);
  const dirtied = Math.min(rate * calcSeconds, workload.workingSetBytes, ram);
  const samples = Math.max(1, Math.round((SAMPLE_PAGES_PER_GIB * ram) / GiB));
  const hits = binomial(samples, dirtied / ram, createRng(seed));
  return Math.floor(((hits / samples) * ram) / MiB / calcSeconds);
}
