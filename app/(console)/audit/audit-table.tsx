"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { displayName } from "@/lib/format";

export type AuditRow = {
  id: string;
  at: string;
  actorName: string;
  actorRole: string | null;
  action: string;
  target: string | null;
  result: string;
  detail: string;
};

const TONE: Record<string, string> = {
  ok: "text-emerald-300",
  denied: "text-rose-300",
  invalid: "text-amber-300",
  error: "text-rose-300",
};
const col = createColumnHelper<AuditRow>();

const COLUMNS = [
  col.accessor("at", {
    header: "When (UTC)",
    cell: (c) => c.getValue().replace("T", " ").slice(0, 19),
    meta: { className: "whitespace-nowrap font-mono text-xs" },
  }),
  col.accessor("actorName", {
    header: "Who",
    cell: ({ row: { original: r } }) => (
      <>
        {displayName(r.actorName)}
        {r.actorRole && <span className="text-xs text-slate-500"> ({r.actorRole})</span>}
      </>
    ),
  }),
  col.accessor("action", { header: "Action", meta: { className: "font-mono text-xs" } }),
  col.accessor("target", { header: "Target", cell: (c) => c.getValue() ?? "—", meta: { className: "text-xs" } }),
  col.accessor("result", {
    header: "Result",
    cell: (c) => <span className={TONE[c.getValue()] ?? ""}>{c.getValue()}</span>,
  }),
  col.accessor("detail", {
    header: "Detail",
    enableSorting: false,
    meta: { className: "max-w-md break-words text-xs text-slate-400" },
  }),
];

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  return (
    <DataTable
      data={rows}
      columns={COLUMNS}
      getRowId={(r) => r.id}
      label="Audit log"
      testId="audit-table"
      empty="Nothing audited yet."
      density="compact"
      rowAttributes={(r) => ({ "data-audit-action": r.action, "data-audit-result": r.result, className: "align-top" })}
    />
  );
}
