"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { MoveView } from "@/lib/schemas/wire-window";
import { displayName } from "@/lib/format";
import { formatDuration } from "../../migrations/display";
import { MOVE_STATE_TONE, STRATEGY_DISPLAY } from "../window-state";

const col = createColumnHelper<MoveView>();
const NUM = "text-right font-mono text-xs tabular-nums";

const COLUMNS = [
  col.accessor("order", {
    header: "#",
    cell: (c) => c.getValue() + 1,
    meta: { className: "text-right tabular-nums text-slate-400" },
  }),
  col.accessor("vmName", { header: "VM", cell: (c) => displayName(c.getValue()), meta: { className: "font-medium" } }),
  col.accessor("sourceHost", {
    header: "Source → destination",
    cell: ({ row: { original: m } }) => (
      <>
        {displayName(m.sourceHost)} → <span data-testid="move-dest">{displayName(m.destHost)}</span>
        {m.failedDestHosts.length > 0 && (
          <div className="text-xs text-amber-300" data-testid="failed-dests">
            failed on {m.failedDestHosts.join(", ")}
          </div>
        )}
      </>
    ),
  }),
  col.accessor("plannedStartMs", {
    header: "Planned start",
    cell: (c) => `+${formatDuration(c.getValue())}`,
    meta: { className: NUM },
  }),
  col.accessor("plannedEndMs", {
    header: "Planned end",
    cell: (c) => `+${formatDuration(c.getValue())}`,
    meta: { className: NUM },
  }),
  col.accessor((m) => m.plannedEndMs - m.plannedStartMs, {
    id: "predicted",
    header: "Predicted",
    cell: (c) => formatDuration(c.getValue()),
    meta: { className: NUM },
  }),
  col.accessor("lambda", {
    header: "λ",
    cell: (c) => (c.getValue() === null ? "—" : c.getValue()?.toFixed(2)),
    sortUndefined: "last",
    meta: { className: NUM, title: "Dirty rate / bandwidth: above ~0.5 a move converges slowly" },
  }),
  col.accessor("strategy", {
    header: "Strategy",
    cell: (c) => {
      const s = STRATEGY_DISPLAY[c.getValue()];
      return (
        <Badge tone={s.tone} title={s.title}>
          {s.label}
        </Badge>
      );
    },
  }),
  col.accessor("state", {
    header: "State",
    cell: ({ row: { original: m } }) => (
      <>
        <Badge tone={MOVE_STATE_TONE[m.state]}>{m.state}</Badge>
        {m.lastError && <div className="mt-0.5 max-w-xs text-xs text-slate-400">{m.lastError}</div>}
      </>
    ),
  }),
  col.accessor("attempts", { header: "Attempts", meta: { className: "text-right tabular-nums" } }),
  col.display({
    id: "migration",
    header: "Migration",
    cell: ({ row: { original: m } }) =>
      m.migrationId ? (
        <Link href={`/migrations/${m.migrationId}`} className="text-sky-300 underline-offset-2 hover:underline">
          {m.history.length > 1 ? `attempt ${m.history.length}` : "open"}
        </Link>
      ) : (
        <span className="text-slate-400">—</span>
      ),
  }),
];

/** The plan, one row per move in start order, with each move's live state and its migration. */
export function PlanTable({ moves }: { moves: MoveView[] }) {
  return (
    <DataTable
      data={moves}
      columns={COLUMNS}
      getRowId={(m) => m.id}
      label="Plan: one row per move"
      testId="plan-table"
      empty="The plan moves nothing: see the unplaced VMs and the notes above."
      emptyTestId="plan-table-empty"
      maxHeight="max-h-[36rem]"
      density="compact"
      rowAttributes={(m) => ({
        "data-move-vm": m.vmName,
        "data-move-state": m.state,
        "data-move-dest": m.destHost,
        className: "align-top",
      })}
    />
  );
}
