import Link from "next/link";
import { MIGRATION_COLUMNS, NOT_CONVERGED_COLUMNS, TREND_COLUMNS } from "@/lib/reports/report-view";
import { NOT_CONVERGED_SHOWN, type NotConverged, type TableRow, type TrendRow } from "@/lib/reports/window-report";

const TH = "px-2 py-1.5 text-left text-xs font-medium uppercase tracking-wide text-slate-400";
const TD = "px-2 py-1 align-top";

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
        <div className="overflow-x-auto rounded border border-slate-800">
          <table className="w-full text-sm">
            <thead className="bg-slate-900">
              <tr>
                {NOT_CONVERGED_COLUMNS.map((c) => (
                  <th key={c.label} className={`${TH} ${c.numeric ? "text-right" : ""}`}>
                    {c.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((n) => (
                <tr key={n.migrationId} className="border-t border-slate-800" data-nc-vm={n.vmName}>
                  {NOT_CONVERGED_COLUMNS.map((c, i) => (
                    <td key={c.label} className={`${TD} ${c.numeric ? "text-right tabular-nums" : ""}`}>
                      {i === 0 ? (
                        <Link href={`/migrations/${n.migrationId}`} className="text-sky-300 hover:underline">
                          {c.text(n)}
                        </Link>
                      ) : (
                        c.text(n)
                      )}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > shown.length && (
        <p className="text-xs text-slate-500">
          {rows.length - shown.length} more in the CSV (converged_on_its_own = false).
        </p>
      )}
    </section>
  );
}

export function TrendTable({ trend }: { trend: (TrendRow & { current: boolean })[] }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-800">
      <table className="w-full text-sm" data-testid="trend-table">
        <thead className="bg-slate-900">
          <tr>
            {TREND_COLUMNS.map((c) => (
              <th key={c.label} className={`${TH} ${c.numeric ? "text-right" : ""}`}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {trend.map((t) => (
            <tr
              key={t.windowId}
              className={`border-t border-slate-800 ${t.current ? "bg-amber-950/30" : ""}`}
              data-trend-window={t.windowId}
              data-current={t.current}
            >
              {TREND_COLUMNS.map((c, i) => (
                <td key={c.label} className={`${TD} ${c.numeric ? "text-right tabular-nums" : ""}`}>
                  {i === 0 && !t.current ? (
                    <Link href={`/windows/${t.windowId}/report`} className="text-sky-300 hover:underline">
                      {c.text(t)}
                    </Link>
                  ) : (
                    c.text(t)
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
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
  return (
    <section aria-labelledby="migrations-heading" className="space-y-2">
      <h2 id="migrations-heading" className="text-lg font-semibold">
        Every migration ({p.total})
      </h2>
      <div className="overflow-x-auto rounded border border-slate-800">
        <table className="w-full text-sm" data-testid="report-migrations" data-total={p.total}>
          <thead className="bg-slate-900">
            <tr>
              {MIGRATION_COLUMNS.map((c) => (
                <th key={c.label} className={`${TH} ${c.numeric ? "text-right" : ""}`}>
                  {c.label}
                </th>
              ))}
              <th className={TH}>Replay</th>
            </tr>
          </thead>
          <tbody>
            {p.rows.map((r) => (
              <tr
                key={r.id}
                className="border-t border-slate-800"
                data-migration-id={r.id}
                data-vm={r.vmName}
                data-state={r.state}
              >
                {MIGRATION_COLUMNS.map((c) => (
                  <td
                    key={c.label}
                    className={`${TD} ${c.numeric ? "text-right tabular-nums" : ""} ${c.label === "Downtime" && (r.downtimeMs ?? 0) > p.budgetMs ? "text-rose-300" : ""}`}
                  >
                    {c.text(r)}
                  </td>
                ))}
                <td className={TD}>
                  <Link href={`/migrations/${r.id}`} className="text-sky-300 hover:underline" data-testid="replay-link">
                    replay
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {p.pages > 1 && (
        <nav className="flex items-center gap-3 text-sm" aria-label="Migrations pages" data-testid="report-pager">
          <span className="text-slate-400">
            {first + 1}–{first + p.rows.length} of {p.total}
          </span>
          {p.page > 1 && (
            <Link href={`/windows/${p.windowId}/report?page=${p.page - 1}`} className="text-sky-300 hover:underline">
              ← previous
            </Link>
          )}
          <span>
            page {p.page} of {p.pages}
          </span>
          {p.page < p.pages && (
            <Link href={`/windows/${p.windowId}/report?page=${p.page + 1}`} className="text-sky-300 hover:underline">
              next →
            </Link>
          )}
        </nav>
      )}
    </section>
  );
}
