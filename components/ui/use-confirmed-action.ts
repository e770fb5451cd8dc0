"use client";

// An action behind a confirmation: which confirmation is open, one action at a time, and the
// outcome to show ("done" text when it worked, the server's reason when not), then a refresh.
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/action";

export type Outcome = { ok: boolean; text: string };

export function useConfirmedAction<K extends string>(refresh: () => unknown) {
  const [pending, start] = useTransition();
  const [confirm, setConfirm] = useState<K | null>(null);
  const [result, setResult] = useState<Outcome | null>(null);
  /** Closes the confirmation and runs `run`; `done` is what to say when it worked. */
  const fire = (run: () => Promise<ActionResult<unknown>>, done: string) => {
    setConfirm(null);
    start(async () => {
      const r = await run();
      setResult(r.ok ? { ok: true, text: done } : { ok: false, text: r.message });
      await refresh();
    });
  };
  return { pending, confirm, setConfirm, result, fire };
}
