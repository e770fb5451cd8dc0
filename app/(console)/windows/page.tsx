import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { hasRole } from "@/lib/auth/roles";
import { guardedPage } from "@/lib/auth/page";
import { listPolicies } from "@/lib/db/policies";
import { listDrainableHosts, listWindows } from "@/lib/db/windows";
import { formatDuration, formatUtc } from "../migrations/display";
import { NewWindowForm } from "./new-window-form";
import { WINDOW_STATE_TONE } from "./window-state";
import { displayName } from "@/lib/format";

export const dynamic = "force-dynamic";

// Maintenance windows: every operator drain, planned before anything moves. Viewers read them.
export default guardedPage("viewer", async ({ user }) => {
  const [windows, hosts, policies] = await Promise.all([listWindows(), listDrainableHosts(), listPolicies()]);
  const canOperate = hasRole(user.role, "operator");
  return (
    <div className="space-y-8">
      <section aria-labelledby="windows-heading" className="space-y-3">
        <h1 id="windows-heading" className="text-xl font-semibold">
          Maintenance windows
        </h1>
        {windows.length === 0 ? (
          <p className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400" data-testid="windows-empty">
            No maintenance windows yet.
            {canOperate ? " Create one below: it is planned (a dry run) before anything moves." : ""}
          </p>
        ) : (
          <div className="overflow-x-auto rounded border border-slate-800">
            <table className="w-full text-sm" data-testid="windows-table">
              <thead className="bg-slate-900 text-left text-xs uppercase tracking-wide text-slate-400">
                <tr>
                  <th className="px-3 py-2">Name</th>
                  <th className="px-3 py-2">State</th>
                  <th className="px-3 py-2">Draining</th>
                  <th className="px-3 py-2">Scheduled (UTC)</th>
                  <th className="px-3 py-2 text-right">Moves done</th>
                  <th className="px-3 py-2 text-right">Predicted makespan</th>
                </tr>
              </thead>
              <tbody>
                {windows.map((w) => {
                  const done = w.progress.completed + w.progress.failed + w.progress.skipped + w.progress.cancelled;
                  return (
                    <tr key={w.id} className="border-t border-slate-800" data-window={w.name}>
                      <td className="px-3 py-2">
                        <Link href={`/windows/${w.id}`} className="text-sky-300 underline-offset-2 hover:underline">
                          {displayName(w.name)}
                        </Link>
                      </td>
                      <td className="px-3 py-2">
                        <Badge tone={WINDOW_STATE_TONE[w.state]}>{w.state}</Badge>
                        {w.armed && (
                          <>
                            {" "}
                            <Badge tone="sky">armed</Badge>
                          </>
                        )}
                      </td>
                      <td className="px-3 py-2">{w.hosts.join(", ")}</td>
                      <td className="px-3 py-2 font-mono text-xs">
                        {formatUtc(w.startsAt)} → {formatUtc(w.endsAt)}
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">
                        {w.progress.total ? `${done} / ${w.progress.total}` : "—"}
                      </td>
                      <td className="px-3 py-2 text-right tabular-nums">
                        {w.makespanMs === null ? "not planned" : formatDuration(w.makespanMs)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {canOperate ? (
        <NewWindowForm hosts={hosts} policies={policies.map((p) => p.name)} defaults={defaultTimes()} />
      ) : (
        <p className="text-sm text-slate-400">
          Viewers can read maintenance windows; operators create, plan and run them.
        </p>
      )}
    </div>
  );
});

/** The next 5-minute mark and two hours later, as UTC datetime-local values. */
function defaultTimes() {
  const start = Math.ceil(Date.now() / 300_000) * 300_000;
  const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  return { start: fmt(start), end: fmt(start + 2 * 3_600_000) };
}
