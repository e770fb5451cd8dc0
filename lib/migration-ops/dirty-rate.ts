import "server-only";
import type { SshTarget } from "@/lib/ssh/pool";
import { getSshPool } from "@/lib/ssh/pool";
import { domDirtyRateCalc, domStats, domStatsDirtyRate } from "@/lib/virsh/commands";
import { dirtyRateOf, memoryOf, parseDomStats } from "@/lib/virsh/parse-domstats";

/**
 * Measures a running guest's dirty rate before a migration (virsh domdirtyrate-calc, page
 * sampling — the only mode that does not crash TCG guests, under TCG the dirty-bitmap and dirty-ring modes reset QEMU's monitor and leave the domain `shut off (crashed)`). Returns bytes/s.
 * Page sampling can under-read memcpy-heavy guests (QEMU #1200); the live dirty rate during the
 * migration corrects the prediction.
 */
export async function measureDirtyRate(target: SshTarget, uri: string, vm: string, seconds: number): Promise<{ bytesPerSecond: number; seconds: number }> {
  const pool = getSshPool();
  await pool.exec(target, domDirtyRateCalc(uri, vm, { seconds }), { timeoutMs: 10_000 });
  const deadline = Date.now() + seconds * 1000 + 10_000;
  await sleep(seconds * 1000);
  while (Date.now() < deadline) {
    const r = await pool.exec(target, domStatsDirtyRate(uri, vm), { timeoutMs: 10_000 });
    const rec = parseDomStats(r.stdout).find((d) => d.name === vm);
    const rate = rec ? dirtyRateOf(rec) : null;
    if (rate?.status === "measured" && rate.bytesPerSecond !== null) return { bytesPerSecond: rate.bytesPerSecond, seconds };
    await sleep(300);
  }
  throw new Error(`no dirty-rate result for ${vm} after ${seconds + 10} s`);
}

/**
 * QEMU's resident memory for the guest (`domstats --balloon`'s balloon.rss): pages never touched are
 * not resident, and they are the zero pages a migration skips. The lab's idle 256 MiB guest sent
 * 81 MiB; configured RAM overstates what crosses by ~3× there. Null when libvirt does not report it.
 */
export async function readRssBytes(target: SshTarget, uri: string, vm: string): Promise<number | null> {
  const r = await getSshPool().exec(target, domStats(uri, { groups: ["balloon"] }), { timeoutMs: 10_000 });
  const rec = parseDomStats(r.stdout).find((d) => d.name === vm);
  return (rec && memoryOf(rec)?.rssBytes) ?? null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
