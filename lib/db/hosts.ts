import "server-only";
import { open } from "@/lib/crypto/secret-box";
import { db, type Tx } from "@/lib/db/client";
import type { HostStatus } from "@/lib/generated/prisma/client";
import type { SshTarget } from "@/lib/ssh/pool";

export type NewHost = {
  name: string;
  address: string;
  port: number;
  sshUser: string;
  privateKeyEnc: string;
  libvirtUri: string;
  migrationUriTemplate: string;
  nicBps: bigint;
  hostKeyFingerprint?: string | null;
  pendingFingerprint?: string | null;
  status: HostStatus;
};

export function createHost(tx: Tx, host: NewHost) {
  return tx.host.create({ data: host, select: { id: true, name: true, status: true, pendingFingerprint: true, hostKeyFingerprint: true } });
}

export function getHostById(id: string) {
  return db.host.findUnique({ where: { id } });
}

export function getHostByName(name: string) {
  return db.host.findUnique({ where: { name } });
}

/**
 * Connection parameters with the decrypted key: server-side only, never returned to a page.
 * `pinnedFingerprint` overrides the stored pin (confirming a key the admin was just shown).
 */
export async function getSshTarget(hostId: string, opts: { pinnedFingerprint?: string } = {}): Promise<SshTarget | null> {
  const h = await db.host.findUnique({ where: { id: hostId }, omit: { privateKeyEnc: false } });
  return h ? sshTargetOf(h, opts.pinnedFingerprint) : null;
}

/** The target for a host row read with its encrypted key (one read instead of two). */
export function sshTargetOf(h: SshTargetRow & { privateKeyEnc: string }, pinnedFingerprint?: string): SshTarget | null {
  const pinned = pinnedFingerprint ?? h.hostKeyFingerprint;
  if (!pinned) return null;
  return { hostId: h.id, name: h.name, address: h.address, port: h.port, username: h.sshUser, privateKey: open(h.privateKeyEnc), pinnedFingerprint: pinned };
}

/** What a cached target depends on; the private key is set once, when the host is created. */
export type SshTargetRow = { id: string; name: string; hostKeyFingerprint: string | null; address: string; port: number; sshUser: string };
export const SSH_TARGET_FIELDS = { id: true, name: true, hostKeyFingerprint: true, address: true, port: true, sshUser: true } as const;

const targetCache = new Map<string, { version: string; target: SshTarget }>();
const versionOf = (pin: string | null, address: string, port: number, user: string) => JSON.stringify([pin, address, port, user]);

/**
 * The worker samples every migration each second: reuse the decrypted target of a host while the
 * row the caller just read still has the same pin, address, port and user (a re-confirmed host key
 * or an edited address misses the cache at once). Only what a fresh read confirms is cached.
 */
export async function cachedSshTarget(row: SshTargetRow): Promise<SshTarget | null> {
  const version = versionOf(row.hostKeyFingerprint, row.address, row.port, row.sshUser);
  const hit = targetCache.get(row.id);
  if (hit?.version === version) return hit.target;
  const target = await getSshTarget(row.id);
  if (target && versionOf(target.pinnedFingerprint, target.address, target.port, target.username) === version) {
    targetCache.set(row.id, { version, target });
  }
  return target;
}

/**
 * Claims up to `limit` hosts whose inventory is older than `intervalMs`. SKIP LOCKED lets several
 * workers share the fleet: each host is refreshed by one of them per interval.
 */
export async function claimHostsForRefresh(limit: number, intervalMs: number): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    UPDATE "Host" SET "lastCheckedAt" = now()
    WHERE id IN (
      SELECT id FROM "Host"
      WHERE status IN ('active', 'maintenance') AND "hostKeyFingerprint" IS NOT NULL
        AND ("lastCheckedAt" IS NULL OR "lastCheckedAt" < now() - make_interval(secs => ${intervalMs / 1000}))
      ORDER BY "lastCheckedAt" ASC NULLS FIRST
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  return rows.map((r) => r.id);
}

/** Asks the workers to refresh a host at their next pass (after adding it or confirming its key). */
export function requestRefresh(tx: Tx | typeof db, hostId: string) {
  return tx.host.update({ where: { id: hostId }, data: { lastCheckedAt: null } });
}

export function hostStatusCounts() {
  return db.host.groupBy({ by: ["status"], _count: true });
}
