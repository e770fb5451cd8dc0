"use client";

// Plan (dry run) / Run / Pause / Resume / Cancel. Each button is shown in every state and says why
// it is unavailable; Run and Cancel spell out what they do in a ConfirmDialog. The server re-checks
// the window's state in every action.
import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import type { ActionResult } from "@/lib/actions/action";
import {
  cancelWindowAction,
  pauseWindowAction,
  planWindowAction,
  resumeWindowAction,
  runWindowAction,
} from "@/lib/actions/windows";
import type { WindowView } from "@/lib/schemas/wire-window";
import type { WindowState } from "@/lib/generated/prisma/client";
import { formatDuration, formatUtc } from "../../migrations/display";
import { windowQueryKey } from "./window-query";
import { displayName } from "@/lib/format";

type Control = "plan" | "run" | "pause" | "resume" | "cancel";

const ALLOWED: Record<Control, WindowState[]> = {
  plan: ["draft", "planned"],
  run: ["planned"],
  pause: ["running"],
  resume: ["paused"],
  cancel: ["draft", "planned", "running", "paused"],
};

const RUN: Record<Control, (input: { windowId: string }) => Promise<ActionResult<unknown>>> = {
  plan: planWindowAction,
  run: runWindowAction,
  pause: pauseWindowAction,
  resume: resumeWindowAction,
  cancel: cancelWindowAction,
};

const DONE: Record<Control, string> = {
  plan: "Planned: review the table and the timeline before running it.",
  run: "Running: moves start in plan order within the limits.",
  pause: "Paused: nothing new starts; migrations in flight finish.",
  resume: "Resumed.",
  cancel: "Cancelled.",
};

export function WindowControls({ w }: { w: WindowView }) {
  const qc = useQueryClient();
  const [pending, start] = useTransition();
  const [busy, setBusy] = useState<Control | null>(null);
  const [confirm, setConfirm] = useState<"run" | "cancel" | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const inFlight = w.moves.filter((m) => m.state === "started").length;
  const toStart = w.moves.filter((m) => m.state === "pending").length;
  const drained = w.hosts.map((h) => h.name).join(", ");

  const fire = (c: Control) => {
    setConfirm(null);
    setBusy(c);
    start(async () => {
      const res = await RUN[c]({ windowId: w.id });
      setResult(res.ok ? { ok: true, text: DONE[c] } : { ok: false, text: res.message });
      setBusy(null);
      await qc.invalidateQueries({ queryKey: windowQueryKey(w.id) });
    });
  };
  const button = (
    c: Control,
    label: string,
    variant: "primary" | "secondary" | "danger",
    onClick: () => void,
    why: string,
  ) => {
    const allowed = ALLOWED[c].includes(w.state);
    return (
      <Button
        variant={variant}
        aria-disabled={!allowed || pending || undefined}
        aria-busy={busy === c || undefined}
        title={allowed ? undefined : why}
        className="aria-disabled:cursor-not-allowed aria-disabled:opacity-50"
        onClick={() => {
          if (allowed && !pending) onClick();
        }}
      >
        {busy === c && (
          <span aria-hidden className="size-3 animate-spin rounded-full border-2 border-current border-t-transparent" />
        )}
        {busy === c ? (c === "plan" ? "Measuring and planning…" : `${label}…`) : label}
      </Button>
    );
  };
  const outside = Date.parse(w.now) < Date.parse(w.startsAt) || Date.parse(w.now) > Date.parse(w.endsAt);

  return (
    <section
      aria-label="Window controls"
      className="space-y-2 rounded border border-slate-800 p-3"
      data-testid="window-controls"
    >
      <div className="flex flex-wrap gap-2">
        {button(
          "plan",
          w.plan ? "Re-plan (dry run)" : "Plan (dry run)",
          "secondary",
          () => fire("plan"),
          `a ${w.state} window cannot be planned again`,
        )}
        {button(
          "run",
          "Run",
          "primary",
          () => setConfirm("run"),
          w.state === "draft" ? "plan it first" : `the window is ${w.state}`,
        )}
        {button("pause", "Pause", "secondary", () => fire("pause"), "only a running window can be paused")}
        {button("resume", "Resume", "secondary", () => fire("resume"), "only a paused window can be resumed")}
        {button("cancel", "Cancel window", "danger", () => setConfirm("cancel"), `the window is already ${w.state}`)}
      </div>
      <p className="text-xs text-slate-500">
        The dry run measures every VM for about a second over SSH and moves nothing. Cancelling stops what has not
        started; migrations already in flight are not stopped — they finish, or abort them from their own pages.
      </p>
      {result && (
        <p
          role={result.ok ? "status" : "alert"}
          data-testid="control-result"
          data-ok={result.ok}
          className={`text-sm ${result.ok ? "text-emerald-300" : "text-rose-300"}`}
        >
          {result.ok ? "✓ " : "✗ "}
          {result.text}
        </p>
      )}
      <ConfirmDialog
        open={confirm === "run"}
        title={`Run "${displayName(w.name)}"?`}
        tone="primary"
        confirmLabel="Run the drain"
        onCancel={() => setConfirm(null)}
        onConfirm={() => fire("run")}
        consequence={
          <div className="space-y-1">
            <p>
              Convoy live-migrates {toStart} VM{toStart === 1 ? "" : "s"} off {drained}, in the plan&apos;s order: at
              most {w.maxOutbound} at a time out of each source and {w.maxInbound} into each destination. Guests keep
              running; each pauses for at most about {w.downtimeBudgetMs} ms at switchover.
            </p>
            <p>
              A failed move is retried on another destination (up to twice). When a drained host has no running VM left
              it is set to <strong>maintenance</strong>.
            </p>
            {w.plan && (
              <p>
                Predicted duration {formatDuration(w.plan.makespanMs)}; planned at {formatUtc(w.plan.plannedAt)}
                {w.plan.unplaced.length
                  ? `; ${w.plan.unplaced.length} VM(s) have no slot and stay where they are, so their host will not be emptied`
                  : ""}
                .
              </p>
            )}
            {outside && (
              <p className="font-semibold">
                Now is outside the scheduled window ({formatUtc(w.startsAt)} → {formatUtc(w.endsAt)}).
              </p>
            )}
          </div>
        }
      />
      <ConfirmDialog
        open={confirm === "cancel"}
        title={`Cancel "${displayName(w.name)}"?`}
        confirmLabel="Cancel the window"
        onCancel={() => setConfirm(null)}
        onConfirm={() => fire("cancel")}
        consequence={
          <div className="space-y-1">
            <p>
              {toStart} pending move{toStart === 1 ? " is" : "s are"} cancelled and nothing new starts. No host is set
              to maintenance.
            </p>
            <p>
              {inFlight
                ? `${inFlight} migration${inFlight === 1 ? " is" : "s are"} in flight and will NOT be stopped: ${inFlight === 1 ? "it finishes" : "they finish"} on ${inFlight === 1 ? "its" : "their"} own, or abort ${inFlight === 1 ? "it" : "them"} from the linked migration page${inFlight === 1 ? "" : "s"}.`
                : "No migration of this window is in flight."}
            </p>
          </div>
        }
      />
    </section>
  );
}
