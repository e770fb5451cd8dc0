"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import { displayName } from "@/lib/format";
import type { PrecheckReport } from "@/lib/migration-ops/prechecks";

type Check = NonNullable<PrecheckReport["chosen"]>["result"]["checks"][number];
const col = createColumnHelper<Check>();

const COLUMNS = [
  col.accessor("ok", {
    header: "Result",
    cell: (c) =>
      c.getValue() ? <span className="text-emerald-400">✓ pass</span> : <span className="text-rose-400">✗ fail</span>,
    meta: { className: "w-20 whitespace-nowrap" },
  }),
  col.accessor("label", { header: "Check", meta: { className: "w-64" } }),
  col.accessor("detail", { header: "Detail", meta: { className: "text-slate-400" } }),
];

export function PrecheckTable({ report }: { report: PrecheckReport }) {
  const chosen = report.chosen;
  if (!chosen) return <p className="text-sm text-rose-300">No destination passes every check. See each host below.</p>;
  return (
    <div className="space-y-2" data-testid="prechecks">
      <p className="text-sm">
        Destination: <b>{displayName(chosen.hostName)}</b>{" "}
        {chosen.result.ok ? (
          <span className="text-emerald-300">— all checks pass</span>
        ) : (
          <span className="text-rose-300">— some checks fail</span>
        )}
      </p>
      {/* In the pre-checks' own order (cheapest and most basic first): not sortable. */}
      <DataTable
        data={chosen.result.checks}
        columns={COLUMNS}
        getRowId={(c) => c.id}
        label={`Pre-checks for ${chosen.hostName}`}
        empty="No checks ran."
        rowAttributes={(c) => ({ "data-check": c.id, "data-ok": c.ok })}
        sortable={false}
        density="compact"
      />
      {report.destinations.length > 1 && (
        <details className="text-xs text-slate-400">
          <summary className="cursor-pointer">Other destinations considered ({report.destinations.length - 1})</summary>
          <ul className="mt-1 space-y-1">
            {report.destinations
              .filter((d) => d.hostId !== chosen.hostId)
              .map((d) => (
                <li key={d.hostId}>
                  {displayName(d.hostName)}:{" "}
                  {d.result.ok
                    ? "passes"
                    : d.result.checks
                        .filter((c) => !c.ok)
                        .map((c) => `${c.label} (${c.detail})`)
                        .join("; ")}
                </li>
              ))}
          </ul>
        </details>
      )}
    </div>
  );
}
