"use client";

import { Button } from "@/components/ui/button";
import type { WindowState } from "@/lib/generated/prisma/client";
import type { Control } from "./use-window-control";

/** The window states each control applies to; the server re-checks them. */
const ALLOWED: Record<Control, WindowState[]> = {
  plan: ["draft", "planned"],
  run: ["planned"],
  pause: ["running"],
  resume: ["paused"],
  cancel: ["draft", "planned", "running", "paused"],
};

/** A control shown in every state: when it does not apply it stays focusable and its title says why. */
export function WindowControlButton({
  control: c,
  label,
  variant,
  state,
  pending,
  busy,
  why,
  onClick,
}: {
  control: Control;
  label: string;
  variant: "primary" | "secondary" | "danger";
  state: WindowState;
  pending: boolean;
  busy: Control | null;
  why: string;
  onClick: () => void;
}) {
  const allowed = ALLOWED[c].includes(state);
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
}
