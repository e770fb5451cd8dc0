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
  const pinned = opts.pinnedFingerprint ?? h?.hostKeyFingerprint;
  if (!h || !pinned) return null;
  return {
    hostId: h.id,
    name: h.name,
    address: h.address,
    port: h.port,
    username: h.sshUser,
    privateKey: open(h.privateKeyEnc),
    pinnedFingerprint: pinned,
  };
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
