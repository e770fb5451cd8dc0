import Link from "next/link";
import { displayName, formatBytes } from "@/lib/format";
import { formatDuration, formatUtc } from "./display";
import { StateBadge } from "./migration-badges";
import type { MigrationListItem } from "@/lib/schemas/wire";

export function HistoryTable({ rows }: { rows: MigrationListItem[] }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-800">
      <table className="w-full text-sm" data-testid="history-table">
        <thead className="bg-slate-900 text-left text-xs uppercase text-slate-400">
          <tr>
            <th className="px-3 py-2">Started (UTC)</th>
            <th className="px-3 py-2">VM</th>
            <th className="px-3 py-2">Source → destination</th>
            <th className="px-3 py-2">Outcome</th>
            <th className="px-3 py-2 text-right">Total time</th>
            <th className="px-3 py-2 text-right">Downtime</th>
            <th className="px-3 py-2 text-right">Data moved</th>
            <th className="px-3 py-2">By</th>
            <th className="px-3 py-2">
              <span className="sr-only">Replay</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => {
            const total =
              m.totalTimeMs ?? (m.startedAt && m.endedAt ? Date.parse(m.endedAt) - Date.parse(m.startedAt) : null);
            return (
              <tr key={m.id} data-migration={m.id} data-vm={m.vmName} className="border-t border-slate-800 align-top">
                <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs">
                  {formatUtc(m.startedAt ?? m.createdAt)}
                </td>
                <td className="px-3 py-1.5 font-medium">{displayName(m.vmName)}</td>
                <td className="whitespace-nowrap px-3 py-1.5">
                  {displayName(m.source)} → {displayName(m.dest)}
                </td>
                <td className="px-3 py-1.5">
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
                </td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatDuration(total)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums" data-testid="history-downtime-ms">
                  {m.downtimeMs === null ? "—" : `${m.downtimeMs} ms`}
                </td>
                <td className="px-3 py-1.5 text-right tabular-nums">{formatBytes(m.dataProcessedBytes)}</td>
                <td className="px-3 py-1.5 text-xs text-slate-400">{m.startedBy ?? "—"}</td>
                <td className="px-3 py-1.5">
                  <Link
                    href={`/migrations/${m.id}`}
                    className="text-sky-300 hover:underline"
                    aria-label={`Replay ${m.vmName} (${formatUtc(m.startedAt ?? m.createdAt)})`}
                  >
                    {["queued", "launching", "running", "postcopy"].includes(m.state) ? "Follow live" : "Replay"}
                  </Link>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
