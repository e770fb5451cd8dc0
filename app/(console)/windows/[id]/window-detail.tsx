"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { WindowAlerts } from "./window-alerts";
import { WindowControls } from "./window-controls";
import { HostLaneGantt } from "./host-lane-gantt";
import { WindowGantt } from "./window-gantt";
import { WindowHeader } from "./window-header";
import { WindowSchedule } from "./window-schedule";
import { PlanFindings, PlanSummary } from "./plan-summary";
import { PlanTable } from "./plan-table";
import { fetchWindow, isLive, POLL_MS, windowQueryKey } from "./window-query";

/** The per-VM timeline draws a DOM row per move; past this, only the canvas by host lane. */
const PER_VM_TIMELINE_MAX = 500;

export function WindowDetail({ id, canOperate }: { id: string; canOperate: boolean }) {
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: windowQueryKey(id),
    queryFn: () => fetchWindow(id),
    refetchInterval: (q) => (isLive(q.state.data) ? POLL_MS : false),
  });
  if (!data) return <Alert>Could not load this maintenance window{error ? `: ${error.message}` : ""}.</Alert>;
  const plan = data.plan;
  return (
    <div className="space-y-6">
      <WindowHeader w={data} updatedAt={dataUpdatedAt} />
      {error && (
        <Alert>
          Could not refresh the window: {error.message}. Showing the data from{" "}
          {new Date(dataUpdatedAt).toISOString().slice(11, 19)} UTC.
        </Alert>
      )}
      <WindowSchedule w={data} canOperate={canOperate} />
      {canOperate ? (
        <WindowControls w={data} />
      ) : (
        <p className="text-sm text-slate-400" data-testid="viewer-note">
          You can follow this window; operators plan, run, pause and cancel it.
        </p>
      )}
      {!plan ? (
        <p className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400" data-testid="plan-empty">
          Not planned yet. <strong>Plan (dry run)</strong> measures each VM&apos;s dirty rate for a second and computes
          where and when every VM goes. Nothing moves until you run it.
        </p>
      ) : (
        <>
          <PlanSummary w={data} plan={plan} />
          <PlanFindings plan={plan} />
          <section aria-labelledby="gantt-heading" className="space-y-2">
            <h2 id="gantt-heading" className="text-lg font-semibold">
              Timeline
            </h2>
            {data.moves.length <= PER_VM_TIMELINE_MAX ? (
              <WindowGantt w={data} plan={plan} fetchedAt={dataUpdatedAt} />
            ) : (
              <p className="text-sm text-slate-400" data-testid="gantt-by-host-only">
                {data.moves.length} moves: the timeline per VM is shown up to {PER_VM_TIMELINE_MAX}; the plan by host
                below shows every move.
              </p>
            )}
          </section>
          <section aria-labelledby="host-gantt-heading" className="space-y-2">
            <h2 id="host-gantt-heading" className="text-lg font-semibold">
              Plan by host
            </h2>
            <HostLaneGantt moves={data.moves} />
          </section>
          <section aria-labelledby="moves-heading" className="space-y-2">
            <h2 id="moves-heading" className="text-lg font-semibold">
              Moves
            </h2>
            <PlanTable moves={data.moves} />
          </section>
        </>
      )}
      <WindowAlerts w={data} />
    </div>
  );
}
