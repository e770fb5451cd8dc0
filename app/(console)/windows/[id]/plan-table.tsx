import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { MoveView } from "@/lib/schemas/wire-window";
import { formatDuration } from "../../migrations/display";
import { MOVE_STATE_TONE } from "../window-state";
import { displayName } from "@/lib/format";

/** The plan, one row per move in start order, with each move's live state and its migration. */
export function PlanTable({ moves }: { moves: MoveView[] }) {
  if (moves.length === 0) {
    return (
      <p className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400" data-testid="plan-table-empty">
        The plan moves nothing: see the unplaced VMs and the notes above.
      </p>
    );
  }
  return (
    <div className="max-h-[36rem] overflow-auto rounded border border-slate-800">
      <table className="w-full text-sm" data-testid="plan-table">
        <thead className="sticky top-0 bg-slate-900 text-left text-xs uppercase tracking-wide text-slate-400">
          <tr>
            <th className="px-2 py-2 text-right">#</th>
            <th className="px-2 py-2">VM</th>
            <th className="px-2 py-2">Source → destination</th>
            <th className="px-2 py-2 text-right">Planned start</th>
            <th className="px-2 py-2 text-right">Planned end</th>
            <th className="px-2 py-2 text-right">Predicted</th>
            <th className="px-2 py-2 text-right" title="Dirty rate / bandwidth: above ~0.5 a move converges slowly">
              λ
            </th>
            <th className="px-2 py-2">Auto-converge</th>
            <th className="px-2 py-2">State</th>
            <th className="px-2 py-2 text-right">Attempts</th>
            <th className="px-2 py-2">Migration</th>
          </tr>
        </thead>
        <tbody>
          {moves.map((m) => (
            <tr
              key={m.id}
              className="border-t border-slate-800 align-top"
              data-move-vm={m.vmName}
              data-move-state={m.state}
              data-move-dest={m.destHost}
            >
              <td className="px-2 py-1.5 text-right tabular-nums text-slate-400">{m.order + 1}</td>
              <td className="px-2 py-1.5 font-medium">{displayName(m.vmName)}</td>
              <td className="px-2 py-1.5">
                {displayName(m.sourceHost)} → <span data-testid="move-dest">{displayName(m.destHost)}</span>
                {m.failedDestHosts.length > 0 && (
                  <div className="text-xs text-amber-300" data-testid="failed-dests">
                    failed on {m.failedDestHosts.join(", ")}
                  </div>
                )}
              </td>
              <td className="px-2 py-1.5 text-right font-mono text-xs tabular-nums">
                +{formatDuration(m.plannedStartMs)}
              </td>
              <td className="px-2 py-1.5 text-right font-mono text-xs tabular-nums">
                +{formatDuration(m.plannedEndMs)}
              </td>
              <td className="px-2 py-1.5 text-right font-mono text-xs tabular-nums">
                {formatDuration(m.plannedEndMs - m.plannedStartMs)}
              </td>
              <td className="px-2 py-1.5 text-right font-mono text-xs tabular-nums">
                {m.lambda === null ? "—" : m.lambda.toFixed(2)}
              </td>
              <td className="px-2 py-1.5">
                {m.autoConverge ? <Badge tone="amber">on</Badge> : <span className="text-slate-500">off</span>}
              </td>
              <td className="px-2 py-1.5">
                <Badge tone={MOVE_STATE_TONE[m.state]}>{m.state}</Badge>
                {m.lastError && <div className="mt-0.5 max-w-xs text-xs text-slate-400">{m.lastError}</div>}
              </td>
              <td className="px-2 py-1.5 text-right tabular-nums">{m.attempts}</td>
              <td className="px-2 py-1.5">
                {m.migrationId ? (
                  <Link
                    href={`/migrations/${m.migrationId}`}
                    className="text-sky-300 underline-offset-2 hover:underline"
                  >
                    {m.history.length > 1 ? `attempt ${m.history.length}` : "open"}
                  </Link>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
