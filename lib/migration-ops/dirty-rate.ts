import "server-only";
import type { SshTarget } from "@/lib/ssh/pool";
import { getSshPool } from "@/lib/ssh/pool";
import { domDirtyRateCalc, domStats, domStatsDirtyRate } from "@/lib/virsh/commands";
import {
  guestRamMapping,
  guestRamSmaps,
  guestRamZeroSample,
  parseSmapsMappings,
  parseZeroSample,
} from "@/lib/virsh/guest-ram";
import { dirtyRateOf, memoryOf, parseDomStats } from "@/lib/virsh/parse-domstats";

/**
 * Measures a running guest's dirty rate before a migration (virsh domdirtyrate-calc, page
 * sampling — the only mode that does not crash TCG guests, under TCG the dirty-bitmap and dirty-ring modes reset QEMU's monitor and leave the domain `shut off (crashed)`). Returns bytes/s.
 * Page sampling can under-read memcpy-heavy guests (QEMU #1200); the live dirty rate during the
 * migration corrects the prediction.
 */
export async function measureDirtyRate(
  target: SshTarget,
  uri: string,
  vm: string,
  seconds: number,
): Promise<{ bytesPerSecond: number; seconds: number }> {
  const pool = getSshPool();
  await pool.exec(target, domDirtyRateCalc(uri, vm, { seconds }), { timeoutMs: 10_000 });
  const deadline = Date.now() + seconds * 1000 + 10_000;
  await sleep(seconds * 1000);
  while (Date.now() < deadline) {
    const r = await pool.exec(target, domStatsDirtyRate(uri, vm), { timeoutMs: 10_000 });
    const rec = parseDomStats(r.stdout).find((d) => d.name === vm);
    const rate = rec ? dirtyRateOf(rec) : null;
    if (rate?.status === "measured" && rate.bytesPerSecond !== null)
      return { bytesPerSecond: rate.bytesPerSecond, seconds };
    await sleep(300);
  }
  throw new Error(`no dirty-rate result for ${vm} after ${seconds + 10} s`);
}

/** QEMU's own resident memory beyond the guest's pages, when only the process's RSS is known. */
const QEMU_OWN_RSS = 32 * 1024 ** 2;

/**
 * What a migration's first pass will send: the guest's non-zero pages (QEMU skips zero pages).
 * With system libvirt, from the guest-RAM mapping in QEMU's smaps: its resident size, narrowed by
 * sampling pages of it for zeros (lab, idle 256 MiB guest: 122 MiB resident, 81 MiB sent); else
 * QEMU's process RSS (`domstats --balloon`) less its own memory; else the configured RAM.
 */
export async function measureSendBytes(
  target: SshTarget,
  uri: string,
  vm: string,
  memoryBytes: number,
): Promise<number> {
  const pool = getSshPool();
  if (/\/system(\?|$)/.test(uri)) {
    // A host without the pid file or /proc (or a simulated one) answers non-zero: fall back.
    const r = await pool.exec(target, guestRamSmaps(vm), { timeoutMs: 10_000 }).catch(() => null);
    const ram = r ? guestRamMapping(parseSmapsMappings(r.stdout), memoryBytes) : null;
    if (ram) {
      const resident = Math.min(memoryBytes, ram.rssBytes);
      const z = await pool.exec(target, guestRamZeroSample(vm, ram), { timeoutMs: 10_000 }).catch(() => null);
      const nonZero = z?.exitCode === 0 ? parseZeroSample(z.stdout) : null;
      return Math.max(1, nonZero === null ? resident : Math.min(resident, Math.round(nonZero * memoryBytes)));
    }
  }
  const s = await pool.exec(target, domStats(uri, { groups: ["balloon"] }), { timeoutMs: 10_000 });
  const rec = parseDomStats(s.stdout).find((d) => d.name === vm);
  const rss = (rec && memoryOf(rec)?.rssBytes) ?? null;
  if (rss !== null) return Math.min(memoryBytes, Math.max(1, rss - QEMU_OWN_RSS));
  return memoryBytes;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
