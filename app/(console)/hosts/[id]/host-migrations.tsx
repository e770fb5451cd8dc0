"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import type { HostMigrationRow } from "@/lib/db/host-page";
import { displayName } from "@/lib/format";

const col = createColumnHelper<HostMigrationRow>();

const COLUMNS = [
  col.accessor("vmName", {
    header: "VM",
    cell: ({ row: { original: m } }) => (
      <Link href={`/migrations/${m.id}`} className="text-sky-300 hover:underline">
        {displayName(m.vmName)}
      </Link>
    ),
  }),
  col.accessor("direction", {
    header: "Direction",
    cell: ({ row: { original: m } }) =>
      m.direction === "out" ? `out to ${displayName(m.otherHost)}` : `in from ${displayName(m.otherHost)}`,
  }),
  col.accessor("state", {
    header: "State",
    cell: ({ row: { original: m } }) => <span title={m.error ?? undefined}>{m.state}</span>,
  }),
  col.accessor("createdAt", {
    header: "Queued (UTC)",
    cell: (c) => c.getValue().slice(0, 19).replace("T", " "),
    meta: { className: "font-mono text-xs" },
  }),
  col.accessor("downtimeMs", {
    header: "Downtime",
    cell: (c) => (c.getValue() === null ? "—" : `${c.getValue()} ms`),
    meta: { className: "text-right tabular-nums" },
  }),
];

/** The host's migrations, both directions, newest first; pages are links (`?page=`). */
export function HostMigrations({
  hostId,
  list,
}: {
  hostId: string;
  list: { rows: HostMigrationRow[]; total: number; page: number; pages: number };
}) {
  return (
    <section aria-labelledby="host-migrations-heading" className="space-y-2">
      <h2 id="host-migrations-heading" className="text-lg font-semibold">
        Migrations ({list.total})
      </h2>
      {/* Paged on the server, newest first: sorting one page would pass for sorting them all. */}
      <DataTable
        data={list.rows}
        columns={COLUMNS}
        getRowId={(m) => m.id}
        label="Migrations of this host"
        testId="host-migrations"
        empty={list.total ? "No migrations on this page." : "No migration has touched this host."}
        rowAttributes={(m) => ({ "data-direction": m.direction })}
        sortable={false}
        density="compact"
      />
      {list.pages > 1 && (
        <nav aria-label="Migration pages" className="flex gap-3 text-sm">
          {list.page > 1 && <Link href={`/hosts/${hostId}?page=${list.page - 1}`}>← Newer</Link>}
          <span className="text-slate-400">
            page {list.page} of {list.pages}
          </span>
          {list.page < list.pages && <Link href={`/hosts/${hostId}?page=${list.page + 1}`}>Older →</Link>}
        </nav>
      )}
    </section>
  );
}
