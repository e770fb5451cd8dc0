"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { MigrationListItem } from "@/lib/schemas/wire";
import { displayName } from "@/lib/format";
import { etaFromNow, formatDuration, formatUtc } from "./display";
import { StateBadge, VerdictBadge } from "./migration-badges";
import { useNow } from "./use-now";

const col = createColumnHelper<MigrationListItem>();

function columns(now: number | null) {
  const eta = (m: MigrationListItem) =>
    m.verdict?.verdict === "converging" || m.verdict?.verdict === "too-early"
      ? etaFromNow(m.verdict.etaMs, m.lastSampleAt, now)
      : null;
  return [
    col.accessor("vmName", {
      header: "VM",
      cell: ({ row: { original: m } }) => (
        <Link href={`/migrations/${m.id}`} className="text-sky-300 hover:underline">
          {displayName(m.vmName)}
        </Link>
      ),
      meta: { className: "font-medium" },
    }),
    col.display({
      id: "route",
      header: "Source → destination",
      cell: ({ row: { original: m } }) => `${displayName(m.source)} → ${displayName(m.dest)}`,
      meta: { className: "whitespace-nowrap" },
    }),
    col.accessor("state", {
      header: "State",
      cell: (c) => <StateBadge state={c.getValue()} testId="migration-state" />,
    }),
    col.accessor("progressPct", {
      header: "Progress",
      // progressPct is the first copy of memory (lib/migration/progress.ts): later passes have no true percentage.
      cell: ({ row: { original: m } }) =>
        m.progressPct < 100 ? (
          <ProgressBar value={m.progressPct} label={`First copy of ${m.vmName}`} valueTestId="progress-pct" />
        ) : (
          <span className="text-xs text-slate-400">first copy done; re-sending dirty pages</span>
        ),
      meta: { className: "w-56" },
    }),
    col.accessor((m) => m.verdict?.verdict, {
      id: "verdict",
      header: "Verdict",
      cell: ({ row: { original: m } }) => (
        <VerdictBadge verdict={m.verdict?.verdict} reason={m.verdict?.reason} testId="verdict" />
      ),
    }),
    col.accessor(eta, {
      id: "eta",
      header: "ETA",
      cell: (c) => {
        const v = c.getValue();
        return v === null ? "—" : v > 0 ? `≈ ${formatDuration(v)}` : "due now";
      },
      sortUndefined: "last",
      meta: { className: "whitespace-nowrap text-right tabular-nums" },
    }),
    col.display({
      id: "started",
      header: "Started by / at (UTC)",
      cell: ({ row: { original: m } }) => `${m.startedBy ?? "—"} · ${formatUtc(m.startedAt ?? m.createdAt)}`,
      meta: { className: "whitespace-nowrap text-xs text-slate-400" },
    }),
  ];
}

export function InFlightTable({ rows }: { rows: MigrationListItem[] }) {
  const now = useNow();
  return (
    <DataTable
      data={rows}
      columns={columns(now)}
      getRowId={(m) => m.id}
      label="Migrations in flight"
      testId="inflight-table"
      empty="No migrations in flight."
      rowAttributes={(m) => ({ "data-migration": m.id, "data-vm": m.vmName, className: "align-middle" })}
    />
  );
}
