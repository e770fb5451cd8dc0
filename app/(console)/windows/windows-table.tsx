"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { WindowSummary } from "@/lib/db/windows";
import { displayName } from "@/lib/format";
import { formatDuration, formatUtc } from "../migrations/display";
import { WINDOW_STATE_TONE } from "./window-state";

const col = createColumnHelper<WindowSummary>();
const NUM = "text-right tabular-nums";
const done = (w: WindowSummary) => w.progress.completed + w.progress.failed + w.progress.skipped + w.progress.cancelled;

const COLUMNS = [
  col.accessor("name", {
    header: "Name",
    cell: ({ row: { original: w } }) => (
      <Link href={`/windows/${w.id}`} className="text-sky-300 underline-offset-2 hover:underline">
        {displayName(w.name)}
      </Link>
    ),
  }),
  col.accessor("state", {
    header: "State",
    cell: ({ row: { original: w } }) => (
      <>
        <Badge tone={WINDOW_STATE_TONE[w.state]}>{w.state}</Badge>
        {w.armed && (
          <>
            {" "}
            <Badge tone="sky">armed</Badge>
          </>
        )}
      </>
    ),
  }),
  col.accessor((w) => w.hosts.join(", "), { id: "hosts", header: "Draining" }),
  col.accessor("startsAt", {
    header: "Scheduled (UTC)",
    cell: ({ row: { original: w } }) => `${formatUtc(w.startsAt)} → ${formatUtc(w.endsAt)}`,
    meta: { className: "font-mono text-xs" },
  }),
  col.accessor(done, {
    id: "done",
    header: "Moves done",
    cell: ({ row: { original: w } }) => (w.progress.total ? `${done(w)} / ${w.progress.total}` : "—"),
    meta: { className: NUM },
  }),
  col.accessor("makespanMs", {
    header: "Predicted makespan",
    cell: (c) => {
      const ms = c.getValue();
      return ms === null ? "not planned" : formatDuration(ms);
    },
    meta: { className: NUM },
  }),
];

/** Every maintenance window, newest first. */
export function WindowsTable({ windows, canOperate }: { windows: WindowSummary[]; canOperate: boolean }) {
  return (
    <DataTable
      data={windows}
      columns={COLUMNS}
      getRowId={(w) => w.id}
      label="Maintenance windows"
      testId="windows-table"
      emptyTestId="windows-empty"
      empty={`No maintenance windows yet.${canOperate ? " Create one below: it is planned (a dry run) before anything moves." : ""}`}
      rowAttributes={(w) => ({ "data-window": w.name })}
    />
  );
}
