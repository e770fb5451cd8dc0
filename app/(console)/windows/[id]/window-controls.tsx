"use client";

// Plan (dry run) / Run / Pause / Resume / Cancel. Each button is shown in every state and says why
// it is unavailable; Run and Cancel spell out what they do in a ConfirmDialog. The server re-checks
// the window's state in every action.
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { displayName } from "@/lib/format";
import type { WindowView } from "@/lib/schemas/wire-window";
import { useWindowControl } from "./use-window-control";
import { CancelConsequence, RunConsequence } from "./window-consequences";
import { WindowControlButton } from "./window-control-button";
import { WindowControlResult } from "./window-control-result";

export function WindowControls({ w }: { w: WindowView }) {
  const { pending, busy, confirm, setConfirm, result, fire } = useWindowControl(w.id);
  const inFlight = w.moves.filter((m) => m.state === "started").length;
  const toStart = w.moves.filter((m) => m.state === "pending").length;
  const shared = { state: w.state, pending, busy };

  return (
    <section
      aria-label="Window controls"
      className="space-y-2 rounded border border-slate-800 p-3"
      data-testid="window-controls"
    >
      <div className="flex flex-wrap gap-2">
        <WindowControlButton
          {...shared}
          control="plan"
          label={w.plan ? "Re-plan (dry run)" : "Plan (dry run)"}
          variant="secondary"
          onClick={() => fire("plan")}
          why={`a ${w.state} window cannot be planned again`}
        />
        <WindowControlButton
          {...shared}
          control="run"
          label="Run"
          variant="primary"
          onClick={() => setConfirm("run")}
          why={w.state === "draft" ? "plan it first" : `the window is ${w.state}`}
        />
        <WindowControlButton
          {...shared}
          control="pause"
          label="Pause"
          variant="secondary"
          onClick={() => fire("pause")}
          why="only a running window can be paused"
        />
        <WindowControlButton
          {...shared}
          control="resume"
          label="Resume"
          variant="secondary"
          onClick={() => fire("resume")}
          why="only a paused window can be resumed"
        />
        <WindowControlButton
          {...shared}
          control="cancel"
          label="Cancel window"
          variant="danger"
          onClick={() => setConfirm("cancel")}
          why={`the window is already ${w.state}`}
        />
      </div>
      <p className="text-xs text-slate-500">
        The dry run measures every VM for about a second over SSH and moves nothing. Cancelling stops what has not
        started; migrations already in flight are not stopped — they finish, or abort them from their own pages.
      </p>
      {result && <WindowControlResult result={result} />}
      <ConfirmDialog
        open={confirm === "run"}
        title={`Run "${displayName(w.name)}"?`}
        tone="primary"
        confirmLabel="Run the drain"
        onCancel={() => setConfirm(null)}
        onConfirm={() => fire("run")}
        consequence={<RunConsequence w={w} toStart={toStart} />}
      />
      <ConfirmDialog
        open={confirm === "cancel"}
        title={`Cancel "${displayName(w.name)}"?`}
        confirmLabel="Cancel the window"
        onCancel={() => setConfirm(null)}
        onConfirm={() => fire("cancel")}
        consequence={<CancelConsequence toStart={toStart} inFlight={inFlight} />}
      />
    </section>
  );
}
