// Is a landed guest alive and intact? Its serial console says so: the lab guest's init prints a
// heartbeat every second and its writer (lab/guest/dirtier.c) reads back every page after each pass
// ("verify ok" / "verify FAIL"). `domstate` alone said "running" for guests that had panicked or hung
// in their kernel right after landing (QEMU 7.2 TCG lost writes, lab/README.md).
import { expect } from "@playwright/test";
import { type HostName, onHost } from "./lab-hosts";

const serialLog = (vm: string) => `/var/log/libvirt/qemu/${vm}-serial.log`;

/** What a dead or damaged guest leaves on its console (a guest that panics reboots: panic=-1). */
const DEATH = /Kernel panic|BUG:|Oops|list_del corruption|general protection|verify FAIL|miglab: guest booted/;

/** Seconds of guest output watched after a landing. */
export const WATCH_S = 25;

/** Where the guest's serial log on `host` ends now: call before the migration starts. */
export function serialMark(host: HostName, vm: string): number {
  return Number(onHost(host, "sh", "-c", `stat -c %s ${serialLog(vm)} 2>/dev/null || echo 0`).trim());
}

function serialSince(host: HostName, vm: string, mark: number): string {
  return onHost(host, "tail", "-c", `+${mark + 1}`, serialLog(vm));
}

function heartbeats(text: string): number[] {
  return [...text.matchAll(/miglab: heartbeat uptime=([\d.]+)/g)].map((m) => Number(m[1]));
}

/**
 * Watches the landed guest on `host` for WATCH_S seconds: it fails on a panic, oops, reboot or
 * failed verification since `mark`, on a heartbeat that stops (a hung kernel prints nothing), and,
 * for a guest whose writer runs, on no "verify ok" in the window.
 */
export async function expectGuestIntact(
  host: HostName,
  vm: string,
  mark: number,
  o: { writer: boolean; convoy?: ConvoyHealth },
): Promise<void> {
  const landedAt = serialSince(host, vm, mark).length;
  const deadline = Date.now() + WATCH_S * 1000;
  let text = "";
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 2000));
    text = serialSince(host, vm, mark);
    const death = DEATH.exec(text);
    if (death)
      throw new Error(
        `${vm} on ${host} is not intact after landing: "${death[0]}"\n${text.slice(Math.max(0, death.index - 400), death.index + 1500)}`,
      );
  }
  const window = text.slice(landedAt);
  const beats = heartbeats(window);
  const span = beats.length > 1 ? (beats.at(-1) ?? 0) - (beats[0] ?? 0) : 0;
  expect(
    span,
    `${vm} on ${host}: heartbeats in the ${WATCH_S} s after landing (guest uptime span)\n${window.slice(-1500)}`,
  ).toBeGreaterThanOrEqual(WATCH_S - 8);
  await new Promise((r) => setTimeout(r, 4000));
  const last = serialSince(host, vm, mark).slice(text.length);
  expect(heartbeats(last).length, `${vm} on ${host}: still beating at the end of the watch`).toBeGreaterThan(0);
  if (o.writer)
    expect(window, `${vm} on ${host}: the writer verified its pages after landing`).toMatch(/verify ok gen=\d+/);
  // The guest is intact: Convoy's own check (domstats on the destination over the settle time) must say so too.
  if (o.convoy) {
    const { sql, migrationId } = o.convoy;
    const read = async () =>
      (
        await sql<{ h: string | null }>(`SELECT "guestHealth"::text AS h FROM "LiveMigration" WHERE id = $1`, [
          migrationId,
        ])
      )[0]?.h ?? "";
    // Settle time (20 s) plus, when the loaded destination is slow to answer, Convoy's retries.
    await expect
      .poll(read, { timeout: 90_000, intervals: [1000], message: `Convoy's recorded health of ${vm} after landing` })
      .not.toMatch(/^(checking)?$/);
    const [row] = await sql<{ h: string; reason: string }>(
      `SELECT "guestHealth"::text AS h, "guestHealthReason" AS reason FROM "LiveMigration" WHERE id = $1`,
      [migrationId],
    );
    // The console proved the guest intact: Convoy must say "healthy", not "unknown" nor "unhealthy".
    expect(row, `Convoy: ${row?.reason}`).toMatchObject({ h: "healthy" });
  }
}

type Sql = <T extends Record<string, unknown>>(q: string, p?: unknown[]) => Promise<T[]>;
export type ConvoyHealth = { sql: Sql; migrationId: string };
