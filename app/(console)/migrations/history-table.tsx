"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import type { MigrationListItem } from "@/lib/schemas/wire";
import { displayName, formatBytes } from "@/lib/format";
import { formatDuration, formatUtc } from "./display";
import { StateBadge } from "./migration-badges";

const col = createColumnHelper<MigrationListItem>();
const NUM = "text-right tabular-nums";
const totalMs = (m: MigrationListItem) =>
  m.totalTimeMs ?? (m.startedAt && m.endedAt ? Date.parse(m.endedAt) - Date.parse(m.startedAt) : null);

const COLUMNS = [
  col.accessor((m) => m.startedAt ?? m.createdAt, {
    id: "started",
    header: "Started (UTC)",
    cell: (c) => formatUtc(c.getValue()),
    meta: { className: "whitespace-nowrap font-mono text-xs" },
  }),
  col.accessor("vmName", { header: "VM", cell: (c) => displayName(c.getValue()), meta: { className: "font-medium" } }),
  col.display({
    id: "route",
    header: "Source → destination",
    cell: ({ row: { original: m } }) => `${displayName(m.source)} → ${displayName(m.dest)}`,
    meta: { className: "whitespace-nowrap" },
  }),
  col.accessor("state", { header: "Outcome", cell: ({ row: { original: m } }) => <Outcome m={m} /> }),
  col.accessor(totalMs, {
    id: "total",
    header: "Total time",
    cell: (c) => formatDuration(c.getValue()),
    sortUndefined: "last",
    meta: { className: NUM },
  }),
  col.accessor("downtimeMs", {
    header: "Downtime",
    cell: (c) => (c.getValue() === null ? "—" : `${c.getValue()} ms`),
    meta: { className: NUM, testId: "history-downtime-ms" },
  }),
  col.accessor("dataProcessedBytes", {
    header: "Data moved",
    cell: (c) => formatBytes(c.getValue()),
    meta: { className: NUM },
  }),
  col.accessor("startedBy", {
    header: "By",
    cell: (c) => c.getValue() ?? "—",
    meta: { className: "text-xs text-slate-400" },
  }),
  col.display({
    id: "replay",
    header: () => <span className="sr-only">Replay</span>,
    cell: ({ row: { original: m } }) => (
      <Link
        href={`/migrations/${m.id}`}
        className="text-sky-300 hover:underline"
        aria-label={`Replay ${m.vmName} (${formatUtc(m.startedAt ?? m.createdAt)})`}
      >
        {["queued", "launching", "running", "postcopy"].includes(m.state) ? "Follow live" : "Replay"}
      </Link>
    ),
  }),
];

function Outcome({ m }: { m: MigrationListItem }) {
  return (
    <>
      <StateBadge state={m.state} />
      {m.error && <p className="mt-1 max-w-xs text-xs text-rose-300">{m.error}</p>}
      {m.guestWhere && (
        <p className="mt-1 text-xs text-slate-300" data-testid="history-guest-where">
          Guest: {m.guestWhere}
          {m.guestWhereSettled === false && " (still asking)"}
        </p>
      )}
      {m.guestHealth === "unhealthy" && (
        <p className="mt-1 max-w-xs text-xs text-rose-300" data-testid="history-guest-health">
          Landed, unhealthy: {m.guestHealthReason}
        </p>
      )}
      {m.guestHealth === "unknown" && (
        <p className="mt-1 max-w-xs text-xs text-amber-300" data-testid="history-guest-health">
          Guest health unknown: {m.guestHealthReason}
        </p>
      )}
    </>
  );
}

export function HistoryTable({ rows }: { rows: MigrationListItem[] }) {
  return (
    <DataTable
      data={rows}
      columns={COLUMNS}
      getRowId={(m) => m.id}
      label="Migration history"
      testId="history-table"
      empty="No migration matches these filters."
      density="compact"
      rowAttributes={(m) => ({ "data-migration": m.id, "data-vm": m.vmName, className: "align-top" })}
    />
  );
}
