"use client";

// The scheduled start: whether the window is armed (and by whom), a countdown to its start, that it
// was started by the schedule, that its end stopped new launches, and why a scheduled start did not
// happen. Operators arm (approving the plan as it stands) and disarm, each after a confirmation.
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { OutcomeLine } from "@/components/ui/outcome-line";
import { useConfirmedAction } from "@/components/ui/use-confirmed-action";
import { armWindowAction, disarmWindowAction } from "@/lib/actions/windows";
import type { WindowView } from "@/lib/schemas/wire-window";
import { displayName } from "@/lib/format";
import { formatUtc } from "../../migrations/display";
import { windowQueryKey } from "./window-query";

export function WindowSchedule({ w, canOperate }: { w: WindowView; canOperate: boolean }) {
  const s = w.schedule;
  const now = useServerNow(w.now);
  const qc = useQueryClient();
  const { pending, confirm, setConfirm, result, fire } = useConfirmedAction<"arm" | "disarm">(() =>
    qc.invalidateQueries({ queryKey: windowQueryKey(w.id) }),
  );
  const armed = w.state === "planned" && !!s.armedAt;
  const canArm = w.state === "planned" && !s.armedAt && !!w.plan && Date.parse(w.endsAt) > now;

  return (
    <section
      aria-label="Schedule"
      className="space-y-2 rounded border border-slate-800 p-3 text-sm"
      data-testid="window-schedule"
      data-armed={armed || undefined}
    >
      <div className="flex flex-wrap items-center gap-2">
        {armed && <Badge tone="sky">armed</Badge>}
        {s.startedBySchedule && <Badge tone="sky">started by schedule</Badge>}
        {s.launchEndedAt && <Badge tone="amber">ended: no new launches</Badge>}
        <span data-testid="schedule-text">
          {scheduleText(w, armed, Date.parse(w.startsAt) - now)}
          {s.launchEndedAt &&
            ` The window ended at ${formatUtc(w.endsAt)}: moves in flight finish, the rest are "not started: window ended".`}
        </span>
      </div>
      {s.error && (
        <p role="alert" className="text-rose-300" data-testid="schedule-error">
          {s.error}
        </p>
      )}
      {canOperate && (w.state === "planned" || armed) && (
        <div className="flex gap-2">
          {armed ? (
            <Button variant="secondary" onClick={() => setConfirm("disarm")} aria-disabled={pending || undefined}>
              Disarm
            </Button>
          ) : (
            <Button
              variant="secondary"
              onClick={() => canArm && setConfirm("arm")}
              aria-disabled={!canArm || pending || undefined}
              title={canArm ? undefined : "plan it first; a window past its end cannot be armed"}
            >
              Arm (start at its time)
            </Button>
          )}
        </div>
      )}
      <OutcomeLine result={result} testId="schedule-result" />
      <ArmDialogs
        w={w}
        open={confirm}
        onCancel={() => setConfirm(null)}
        onArm={() => fire(() => armWindowAction({ windowId: w.id }), "Armed: it starts itself at its start time.")}
        onDisarm={() => fire(() => disarmWindowAction({ windowId: w.id }), "Disarmed: it waits for Run.")}
      />
    </section>
  );
}

/** One sentence on whether and how the window starts by itself. */
function scheduleText(w: WindowView, armed: boolean, toStart: number): string {
  const s = w.schedule;
  if (armed)
    return toStart > 0
      ? `Starts by itself in ${countdown(toStart)} (${formatUtc(w.startsAt)}), approved by ${displayName(s.armedBy ?? "?")}.`
      : "Starting now (the worker re-plans first if the plan is stale or the fleet changed).";
  if (s.startedBySchedule)
    return `Started by the schedule on behalf of ${displayName(s.armedBy ?? "?")}${w.startedAt ? ` at ${formatUtc(w.startedAt)}` : ""}.`;
  return w.state === "planned" ? "Not armed: it starts only when someone presses Run." : "Not scheduled.";
}

/** The arm and disarm confirmations, each saying what the schedule will then do. */
function ArmDialogs({
  w,
  open,
  onCancel,
  onArm,
  onDisarm,
}: {
  w: WindowView;
  open: "arm" | "disarm" | null;
  onCancel: () => void;
  onArm: () => void;
  onDisarm: () => void;
}) {
  return (
    <>
      <ConfirmDialog
        open={open === "arm"}
        title={`Arm "${displayName(w.name)}"?`}
        tone="primary"
        confirmLabel="Arm the window"
        onCancel={onCancel}
        onConfirm={onArm}
        consequence={
          <div className="space-y-1">
            <p>
              You approve this plan. At {formatUtc(w.startsAt)} Convoy starts the drain on your behalf, with nobody
              pressing Run: it re-plans first if the plan is older than the configured age or the hosts and VMs changed
              since planning.
            </p>
            <p>
              At {formatUtc(w.endsAt)} nothing new starts; migrations in flight finish (an overrun alerts), the rest are
              reported "not started: window ended".
            </p>
          </div>
        }
      />
      <ConfirmDialog
        open={open === "disarm"}
        title={`Disarm "${displayName(w.name)}"?`}
        tone="primary"
        confirmLabel="Disarm"
        onCancel={onCancel}
        onConfirm={onDisarm}
        consequence={<p>The window will not start by itself; its plan stays and Run still works.</p>}
      />
    </>
  );
}

/** The server's clock (from the last fetch), ticking each second, so the countdown does not depend on the browser's. */
function useServerNow(serverNow: string): number {
  const [offset] = useState(() => Date.parse(serverNow) - Date.now());
  const [now, setNow] = useState(() => Date.now() + offset);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() + offset), 1000);
    return () => clearInterval(t);
  }, [offset]);
  return now;
}

function countdown(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return `${h ? `${h} h ` : ""}${h ? String(m).padStart(2, "0") : m} min ${String(s % 60).padStart(2, "0")} s`;
}
