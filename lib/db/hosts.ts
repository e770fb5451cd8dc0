import "server-only";
import { open } from "@/lib/crypto/secret-box";
import { claimRows } from "@/lib/db/claims";
import { db, type Tx } from "@/lib/db/client";
import { type HostStatus, Prisma } from "@/lib/generated/prisma/client";
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
  return tx.host.create({
    data: host,
    select: { id: true, name: true, status: true, pendingFingerprint: true, hostKeyFingerprint: true },
  });
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
export async function getSshTarget(
  hostId: string,
  opts: { pinnedFingerprint?: string } = {},
): Promise<SshTarget | null> {
  const h = await db.host.findUnique({ where: { id: hostId }, omit: { privateKeyEnc: false } });
  return h ? sshTargetOf(h, opts.pinnedFingerprint) : null;
}

/** The target for a host row read with its encrypted key (one read instead of two). */
export function sshTargetOf(h: SshTargetRow & { privateKeyEnc: string }, pinnedFingerprint?: string): SshTarget | null {
  const pinned = pinnedFingerprint ?? h.hostKeyFingerprint;
  if (!pinned) return null;
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

/** What a cached target depends on; the private key is set once, when the host is created. */
export type SshTargetRow = {
  id: string;
  name: string;
  hostKeyFingerprint: string | null;
  address: string;
  port: number;
  sshUser: string;
};
export const SSH_TARGET_FIELDS = {
  id: true,
  name: true,
  hostKeyFingerprint: true,
  address: true,
  port: true,
  sshUser: true,
} as const;

const targetCache = new Map<string, { version: string; target: SshTarget }>();
const versionOf = (pin: string | null, address: string, port: number, user: string) =>
  JSON.stringify([pin, address, port, user]);

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

/** How long a claimed host is held by the worker reading it (a read's SSH timeouts fit in it). */
export const INVENTORY_READ_LEASE_S = 120;

/**
 * Claims up to `limit` hosts whose last read ended more than `intervalMs` ago. SKIP LOCKED lets
 * several workers share the fleet. A claimed host is held for the read's lease (lastCheckedAt in
 * the future), and `finishHostRead` marks when the read ended: a host slower to answer than the
 * interval is never claimed again while it is being read (that piled reads onto slow real hosts).
 */
/**
 * A host falls due at this share of the interval after its last read ended, so the claim's poll
 * (≤ 0.5 s when nothing is due) and the next read itself fit inside the interval: no host's data is
 * older than the interval. Due only after the whole interval, the 2,000-host bench's oldest read was
 * 11.0 s at a 10 s interval.
 */
const DUE_SHARE = 0.9;
/**
 * Another worker's host falls due this share of the interval later: each worker keeps reading the
 * hosts it read before (its SSH connection and read memo are warm; a host passed between two
 * workers costs a handshake and a full read each time, 4.9 ms of CPU per host instead of 2.1), and
 * a host whose worker stopped is still read within the interval.
 */
const OTHERS_GRACE_SHARE = 0.05;

/** Claims the hosts due for an inventory read: this worker's own at DUE_SHARE, the others' a little later. */
export function claimHostsForRefresh(limit: number, intervalMs: number, workerId = ""): Promise<HostRead[]> {
  const ownDue = (DUE_SHARE * intervalMs) / 1000;
  const othersDue = ((DUE_SHARE + OTHERS_GRACE_SHARE) * intervalMs) / 1000;
  return claimRows<HostRead>({
    table: "Host",
    due: Prisma.sql`status IN ('active', 'maintenance') AND "hostKeyFingerprint" IS NOT NULL
      AND ("lastCheckedAt" IS NULL
        OR "lastCheckedAt" < now() - make_interval(secs => ${othersDue})
        OR ("lastCheckedAt" < now() - make_interval(secs => ${ownDue})
          AND ("lastReadBy" IS NULL OR "lastReadBy" = ${workerId})))`,
    lease: Prisma.sql`"lastCheckedAt" = now() + make_interval(secs => ${INVENTORY_READ_LEASE_S}), "lastReadBy" = ${workerId}`,
    order: Prisma.sql`"lastCheckedAt" ASC NULLS FIRST`,
    limit,
    returning: Prisma.sql`id, name, "hostKeyFingerprint", address, port, "sshUser", "libvirtUri",
      "sharedStoragePrefixes", "lastErrorKind"`,
  });
}

/**
 * What reading a claimed host needs, returned by the claim itself (the row as the claim left it),
 * so a refresh costs no query to load its host; the decrypted key comes from `cachedSshTarget`.
 */
export type HostRead = SshTargetRow & {
  libvirtUri: string;
  sharedStoragePrefixes: string[];
  lastErrorKind: string | null;
};

/** The read of a claimed host ended (either way): it is due again one interval from now. */
export async function finishHostRead(hostId: string): Promise<void> {
  await db.host.updateMany({ where: { id: hostId }, data: { lastCheckedAt: new Date() } });
}

/** Asks the workers to refresh a host at their next pass (after adding it or confirming its key). */
export function requestRefresh(tx: Tx | typeof db, hostId: string) {
  return tx.host.update({ where: { id: hostId }, data: { lastCheckedAt: null } });
}

export function hostStatusCounts() {
  return db.host.groupBy({ by: ["status"], _count: true });
}

/** Pins the offered key, if it is still the one the admin confirmed; false when the host changed meanwhile. */
export async function pinHostKey(tx: Tx, hostId: string, fingerprint: string): Promise<boolean> {
  const n = await tx.host.updateMany({
    where: { id: hostId, pendingFingerprint: fingerprint },
    data: {
      hostKeyFingerprint: fingerprint,
      pendingFingerprint: null,
      status: "active",
      lastError: null,
      lastErrorKind: null,
    },
  });
  return n.count === 1;
}

export function setPendingFingerprint(tx: Tx, hostId: string, fingerprint: string) {
  return tx.host.update({ where: { id: hostId }, data: { pendingFingerprint: fingerprint } });
}

export async function existingHostNames(tx: Tx, names: string[]): Promise<string[]> {
  return (await tx.host.findMany({ where: { name: { in: names } }, select: { name: true } })).map((h) => h.name);
}

/**
 * Claims hosts imported without a fingerprint whose offered key is still to be read (not tried in
 * 30 s): the try is stamped in the claim, so two workers never probe the same host at once.
 */
export function claimKeyProbes(limit: number): Promise<{ id: string; address: string; port: number }[]> {
  return claimRows({
    table: "Host",
    due: Prisma.sql`status = 'pending_key' AND "pendingFingerprint" IS NULL AND ("lastCheckedAt" IS NULL OR "lastCheckedAt" < now() - interval '30 seconds')`,
    lease: Prisma.sql`"lastCheckedAt" = now()`,
    order: Prisma.sql`"lastCheckedAt" ASC NULLS FIRST`,
    limit,
    returning: Prisma.sql`id, address, port`,
  });
}

/** Stores the key a pending host offered (unless one was stored meanwhile) for an admin to confirm. */
export function savePendingFingerprint(hostId: string, fingerprint: string) {
  return db.host.updateMany({
    where: { id: hostId, pendingFingerprint: null },
    data: { pendingFingerprint: fingerprint, lastError: null, lastErrorKind: null },
  });
}

export function saveKeyProbeError(hostId: string, message: string, kind: string) {
  return db.host.update({ where: { id: hostId }, data: { lastError: message, lastErrorKind: kind } });
}

export async function hostNames(): Promise<string[]> {
  return (await db.host.findMany({ select: { name: true } })).map((h) => h.name);
}

/** Follows a host that answers on another address or port now (a restarted simulator). */
export async function moveHostAddress(name: string, address: string, port: number): Promise<void> {
  await db.host.updateMany({ where: { name, port: { not: port } }, data: { port, address } });
}
