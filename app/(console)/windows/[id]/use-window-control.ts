"use client";

// Firing a window control: one at a time, the run and cancel confirmations, the outcome shown
// under the buttons, and the window's query refreshed afterwards.
import { useQueryClient } from "@tanstack/react-query";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action";
import {
  cancelWindowAction,
  pauseWindowAction,
  planWindowAction,
  resumeWindowAction,
  runWindowAction,
} from "@/lib/actions/windows";
import { windowQueryKey } from "./window-query";

export type Control = "plan" | "run" | "pause" | "resume" | "cancel";

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

export function useWindowControl(windowId: string) {
  const qc = useQueryClient();
  const [pending, start] = useTransition();
  const [busy, setBusy] = useState<Control | null>(null);
  const [confirm, setConfirm] = useState<"run" | "cancel" | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const fire = (c: Control) => {
    setConfirm(null);
    setBusy(c);
    start(async () => {
      const res = await RUN[c]({ windowId });
      setResult(res.ok ? { ok: true, text: DONE[c] } : { ok: false, text: res.message });
      setBusy(null);
      await qc.invalidateQueries({ queryKey: windowQueryKey(windowId) });
    });
  };

  return { pending, busy, confirm, setConfirm, result, fire };
}
