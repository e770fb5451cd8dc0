import "server-only";
import { db } from "@/lib/db/client";
import { hostFacts } from "@/lib/db/host-facts";
import { ACTIVE_STATES } from "@/lib/db/migrations";
import { decommissionBlockers } from "@/lib/db/host-lifecycle";

// One host's page (/hosts/[id]), JSON-safe: its facts, VMs, key history, what blocks its
// decommissioning, and its migrations in both directions, paged. A decommissioned host still reads.

export const HOST_MIGRATIONS_PAGE = 25;

export type HostPage = NonNullable<Awaited<ReturnType<typeof getHostPage>>>;

export async function getHostPage(id: string) {
  const h = await db.host.findUnique({
    where: { id },
    include: { vms: { orderBy: { name: "asc" } }, keyEvents: { orderBy: { at: "desc" }, take: 50 } },
  });
  if (!h) return null;
  const [blockers, inflight] = await Promise.all([
    h.status === "removed" ? Promise.resolve([]) : db.$transaction((t) => decommissionBlockers(t, id)),
    db.liveMigration.count({ where: { OR: [{ sourceHostId: id }, { destHostId: id }], state: { in: ACTIVE_STATES } } }),
  ]);
  return {
    ...hostFacts(h),
    vms: h.vms.map((v) => ({
      id: v.id,
      name: v.name,
      state: v.state,
      vcpus: v.vcpus,
      memoryBytes: Number(v.memoryBytes),
    })),
    keyEvents: h.keyEvents.map((e) => ({
      id: String(e.id),
      at: e.at.toISOString(),
      kind: e.kind,
      fingerprint: e.fingerprint,
      previous: e.previous,
      actorName: e.actorName,
    })),
    decommissionBlockers: blockers,
    inflight,
  };
}

export type HostMigrationRow = {
  id: string;
  vmName: string;
  direction: "in" | "out";
  otherHost: string;
  state: string;
  createdAt: string;
  endedAt: string | null;
  downtimeMs: number | null;
  error: string | null;
};

/** Its migrations, newest first, both directions; `page` is 1-based. */
export async function listHostMigrations(
  hostId: string,
  page: number,
): Promise<{ rows: HostMigrationRow[]; total: number; page: number; pages: number }> {
  const where = { OR: [{ sourceHostId: hostId }, { destHostId: hostId }] };
  const [total, rows] = await Promise.all([
    db.liveMigration.count({ where }),
    db.liveMigration.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * HOST_MIGRATIONS_PAGE,
      take: HOST_MIGRATIONS_PAGE,
      select: {
        id: true,
        vmName: true,
        sourceHostId: true,
        state: true,
        createdAt: true,
        endedAt: true,
        downtimeMs: true,
        error: true,
        sourceHost: { select: { name: true } },
        destHost: { select: { name: true } },
      },
    }),
  ]);
  return {
    total,
    page,
    pages: Math.max(1, Math.ceil(total / HOST_MIGRATIONS_PAGE)),
    rows: rows.map((m) => {
      const out = m.sourceHostId === hostId;
      return {
        id: m.id,
        vmName: m.vmName,
        direction: out ? "out" : "in",
        otherHost: out ? m.destHost.name : m.sourceHost.name,
        state: m.state,
        createdAt: m.createdAt.toISOString(),
        endedAt: m.endedAt?.toISOString() ?? null,
        downtimeMs: m.downtimeMs,
        error: m.error,
      };
    }),
  };
}
