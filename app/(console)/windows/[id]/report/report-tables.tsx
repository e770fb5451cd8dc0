"use client";

// The report page's tables. Each keeps the report's own order (highest dirty rate first, oldest
// window first, the migrations paged on the server), so none of them sorts.
import type { ColumnDef } from "@tanstack/react-table";
import Link from "next/link";
import type { ReactNode } from "react";
import { DataTable } from "@/components/ui/data-table";
import { MIGRATION_COLUMNS, NOT_CONVERGED_COLUMNS, TREND_COLUMNS } from "@/lib/reports/report-view";
import { NOT_CONVERGED_SHOWN, type NotConverged, type TableRow, type TrendRow } from "@/lib/reports/window-report";

type ReportColumn<T> = { label: string; text: (row: T) => string; numeric?: boolean };

/** The report's column definitions (shared with the PDF) as data-table columns; `cell` may wrap a column's text. */
function columnsOf<T>(
  cols: ReportColumn<T>[],
  cell?: (row: T, text: string, label: string, index: number) => ReactNode,
): ColumnDef<T, string>[] {
  return cols.map((c, i) => ({
    id: c.label,
    header: c.label,
    accessorFn: (row) => c.text(row),
    cell: ({ row }) => (cell ? cell(row.original, c.text(row.original), c.label, i) : c.text(row.original)),
    meta: { className: `align-top ${c.numeric ? "text-right tabular-nums" : ""}` },
  }));
}

const LINK = "text-sky-300 hover:underline";

export function ActionsList({
  title,
  testId,
  empty,
  items,
}: {
  title: string;
  testId: string;
  empty: string;
  items: { key: string; text: string; who: string; count: number | null }[];
}) {
  return (
    <section className="space-y-1 rounded border border-slate-800 p-3" data-testid={testId} data-count={items.length}>
      <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-400">{title}</h2>
      {items.length === 0 ? (
        <p className="text-sm text-slate-400">{empty}</p>
      ) : (
        <ul className="space-y-0.5 text-sm">
          {items.map((i) => (
            <li key={i.key}>
              <span className="font-medium">{i.text}</span> <span className="text-slate-400">— {i.who}</span>
              {i.count !== null && <span className="tabular-nums text-slate-300"> ×{i.count}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const NC_COLUMNS = columnsOf(NOT_CONVERGED_COLUMNS, (n, text, _, i) =>
  i === 0 ? (
    <Link href={`/migrations/${n.migrationId}`} className={LINK}>
      {text}
    </Link>
  ) : (
    text
  ),
);

export function NotConvergedTable({ rows }: { rows: NotConverged[] }) {
  const shown = rows.slice(0, NOT_CONVERGED_SHOWN);
  return (
    <section aria-labelledby="nc-heading" className="space-y-2" data-testid="not-converged" data-count={rows.length}>
      <h2 id="nc-heading" className="text-lg font-semibold">
        Did not converge on their own ({rows.length})
      </h2>
      <p className="text-sm text-slate-400">
        The VMs to look at before the next window: the policy or an operator had to step in, or the last verdict was
        stalled. Highest dirty rate first.
      </p>
      {rows.length > 0 && (
        <DataTable
          data={shown}
          columns={NC_COLUMNS}
          getRowId={(n) => n.migrationId}
          label="Did not converge on their own"
          empty={null}
          rowAttributes={(n) => ({ "data-nc-vm": n.vmName })}
          sortable={false}
          density="compact"
        />
      )}
      {rows.length > shown.length && (
        <p className="text-xs text-slate-500">
          {rows.length - shown.length} more in the CSV (converged_on_its_own = false).
        </p>
      )}
    </section>
  );
}

type Trend = TrendRow & { current: boolean };
const TR_COLUMNS = columnsOf<Trend>(TREND_COLUMNS, (t, text, _, i) =>
  i === 0 && !t.current ? (
    <Link href={`/windows/${t.windowId}/report`} className={LINK}>
      {text}
    </Link>
  ) : (
    text
  ),
);

export function TrendTable({ trend }: { trend: Trend[] }) {
  return (
    <DataTable
      data={trend}
      columns={TR_COLUMNS}
      getRowId={(t) => t.windowId}
      label="Trend over this host set's windows"
      testId="trend-table"
      empty="No earlier window."
      rowAttributes={(t) => ({
        "data-trend-window": t.windowId,
        "data-current": t.current,
        className: t.current ? "bg-amber-950/30" : "",
      })}
      sortable={false}
      density="compact"
    />
  );
}

export function MigrationsTable(p: {
  rows: TableRow[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
  windowId: string;
  budgetMs: number;
}) {
  const first = (p.page - 1) * p.pageSize;
  const columns: ColumnDef<TableRow, string>[] = [
    ...columnsOf(MIGRATION_COLUMNS, (r, text, label) =>
      label === "Downtime" && (r.downtimeMs ?? 0) > p.budgetMs ? <span className="text-rose-300">{text}</span> : text,
    ),
    {
      id: "replay",
      header: "Replay",
      cell: ({ row }) => (
        <Link href={`/migrations/${row.original.id}`} className={LINK} data-testid="replay-link">
          replay
        </Link>
      ),
      meta: { className: "align-top" },
    },
  ];
  return (
    <section aria-labelledby="migrations-heading" className="space-y-2">
      <h2 id="migrations-heading" className="text-lg font-semibold">
        Every migration ({p.total})
      </h2>
      <DataTable
        data={p.rows}
        columns={columns}
        getRowId={(r) => r.id}
        label="Every migration of this window"
        testId="report-migrations"
        tableAttributes={{ "data-total": p.total }}
        empty="No migration ran in this window."
        rowAttributes={(r) => ({ "data-migration-id": r.id, "data-vm": r.vmName, "data-state": r.state })}
        sortable={false}
        density="compact"
      />
      {p.pages > 1 && (
        <nav className="flex items-center gap-3 text-sm" aria-label="Migrations pages" data-testid="report-pager">
          <span className="text-slate-400">
            {first + 1}–{first + p.rows.length} of {p.total}
          </span>
          {p.page > 1 && (
            <Link href={`/windows/${p.windowId}/report?page=${p.page - 1}`} className={LINK}>
              ← previous
            </Link>
          )}
          <span>
            page {p.page} of {p.pages}
          </span>
          {p.page < p.pages && (
            <Link href={`/windows/${p.windowId}/report?page=${p.page + 1}`} className={LINK}>
              next →
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
