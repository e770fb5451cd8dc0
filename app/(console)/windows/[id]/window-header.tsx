import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { ProgressBar } from "@/components/ui/progress-bar";
import type { WindowView } from "@/lib/schemas/wire-window";
import { formatUtc } from "../../migrations/display";
import { plannedStrategies, WINDOW_STATE_TONE } from "../window-state";
import { displayName } from "@/lib/format";

export function WindowHeader({ w, updatedAt }: { w: WindowView; updatedAt: number }) {
  const p = w.progress;
  const done = p.completed + p.failed + p.skipped + p.cancelled;
  const groups = Object.entries(w.antiAffinity);
  return (
    <header className="space-y-3">
      <div className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{displayName(w.name)}</h1>
        <span data-testid="window-state" data-state={w.state}>
          <Badge tone={WINDOW_STATE_TONE[w.state]}>{w.state}</Badge>
        </span>
        {updatedAt > 0 && (
          <span className="text-xs text-slate-500">updated {new Date(updatedAt).toISOString().slice(11, 19)} UTC</span>
        )}
        {w.startedAt && (
          <Link
            href={`/windows/${w.id}/report`}
            className="ml-auto text-sm text-sky-300 hover:underline"
            data-testid="report-link"
          >
            Report
          </Link>
        )}
      </div>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Item label="Draining">
          <ul className="space-y-0.5" data-testid="drained-hosts">
            {w.hosts.map((h) => (
              <li key={h.id} data-host={h.name} data-status={h.status}>
                <span className="font-medium">{displayName(h.name)}</span>{" "}
                <span className="text-xs text-slate-400">
                  {h.status === "maintenance"
                    ? "in maintenance"
                    : `${h.status} · ${h.runningVms} running VM${h.runningVms === 1 ? "" : "s"}`}
                </span>
              </li>
            ))}
          </ul>
        </Item>
        <Item label="Scheduled (UTC)">
          <span className="font-mono text-xs">
            {formatUtc(w.startsAt)} → {formatUtc(w.endsAt)}
          </span>
          {w.startedAt && <div className="text-xs text-slate-400">run at {formatUtc(w.startedAt)}</div>}
          {w.endedAt && <div className="text-xs text-slate-400">ended at {formatUtc(w.endedAt)}</div>}
        </Item>
        <Item label="Limits">
          {w.maxOutbound} out per source · {w.maxInbound} in per destination
          <div className="text-xs text-slate-400">downtime budget {w.downtimeBudgetMs} ms per VM</div>
        </Item>
        <Item label="Policy">
          {w.policyName ?? "none (VMs that would not converge are flagged)"}
          {w.plan && (
            <div className="text-xs text-slate-400" data-testid="planned-strategies">
              planned with: {plannedStrategies(w.plan.settings).join(", ")}
            </div>
          )}
          {w.excludedHosts.length > 0 && (
            <div className="text-xs text-slate-400">never to: {w.excludedHosts.join(", ")}</div>
          )}
          {groups.length > 0 && (
            <div className="text-xs text-slate-400">
              anti-affinity: {groups.map(([g, vms]) => `${g} (${vms.join(", ")})`).join("; ")}
            </div>
          )}
        </Item>
      </dl>
      {p.total > 0 && (
        <div className="max-w-xl space-y-1" data-testid="window-progress">
          <ProgressBar value={(done / p.total) * 100} label="Moves done" tone={p.failed ? "amber" : "green"} />
          <p className="text-xs text-slate-400">
            {p.completed} completed · {p.started} in flight · {p.pending} pending
            {p.failed ? ` · ${p.failed} failed` : ""}
            {p.skipped ? ` · ${p.skipped} skipped` : ""}
            {p.cancelled ? ` · ${p.cancelled} cancelled` : ""}
          </p>
        </div>
      )}
    </header>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-400">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
