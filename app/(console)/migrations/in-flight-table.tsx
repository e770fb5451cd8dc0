"use client";

import Link from "next/link";
import { ProgressBar } from "@/components/ui/progress-bar";
import { etaFromNow, formatDuration, formatUtc } from "./display";
import { StateBadge, VerdictBadge } from "./migration-badges";
import type { MigrationListItem } from "@/lib/schemas/wire";
import { useNow } from "./use-now";
import { displayName } from "@/lib/format";

export function InFlightTable({ rows }: { rows: MigrationListItem[] }) {
  const now = useNow();
  return (
    <div className="overflow-x-auto rounded border border-slate-800">
      <table className="w-full text-sm" data-testid="inflight-table">
        <thead className="bg-slate-900 text-left text-xs uppercase text-slate-400">
          <tr>
            <th className="px-3 py-2">VM</th>
            <th className="px-3 py-2">Source → destination</th>
            <th className="px-3 py-2">State</th>
            <th className="w-56 px-3 py-2">Progress</th>
            <th className="px-3 py-2">Verdict</th>
            <th className="px-3 py-2 text-right">ETA</th>
            <th className="px-3 py-2">Started by / at (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => {
            const eta =
              m.verdict?.verdict === "converging" || m.verdict?.verdict === "too-early"
                ? etaFromNow(m.verdict.etaMs, m.lastSampleAt, now)
                : null;
            return (
              <tr
                key={m.id}
                data-migration={m.id}
                data-vm={m.vmName}
                className="border-t border-slate-800 align-middle"
              >
                <td className="px-3 py-2 font-medium">
                  <Link href={`/migrations/${m.id}`} className="text-sky-300 hover:underline">
                    {displayName(m.vmName)}
                  </Link>
                </td>
                <td className="whitespace-nowrap px-3 py-2">
                  {displayName(m.source)} → {displayName(m.dest)}
                </td>
                <td className="px-3 py-2">
                  <StateBadge state={m.state} testId="migration-state" />
                </td>
                <td className="px-3 py-2">
                  {/* progressPct is the first copy of memory (lib/migration/progress.ts): later passes have no true percentage. */}
                  {m.progressPct < 100 ? (
                    <ProgressBar value={m.progressPct} label={`First copy of ${m.vmName}`} valueTestId="progress-pct" />
                  ) : (
                    <span className="text-xs text-slate-400">first copy done; re-sending dirty pages</span>
                  )}
                </td>
                <td className="px-3 py-2">
                  <VerdictBadge verdict={m.verdict?.verdict} reason={m.verdict?.reason} testId="verdict" />
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-right tabular-nums">
                  {eta === null ? "—" : eta > 0 ? `≈ ${formatDuration(eta)}` : "due now"}
                </td>
                <td className="whitespace-nowrap px-3 py-2 text-xs text-slate-400">
                  {m.startedBy ?? "—"} · {formatUtc(m.startedAt ?? m.createdAt)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
