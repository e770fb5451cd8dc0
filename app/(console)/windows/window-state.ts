// Display of window and move states, shared by the list and the window page.
import type { MoveState, WindowState } from "@/lib/generated/prisma/client";

type Tone = "green" | "red" | "amber" | "slate" | "sky";

export const WINDOW_STATE_TONE: Record<WindowState, Tone> = {
  draft: "slate",
  planned: "sky",
  running: "amber",
  paused: "amber",
  completed: "green",
  cancelled: "red",
};

export const MOVE_STATE_TONE: Record<MoveState, Tone> = {
  pending: "slate",
  started: "sky",
  completed: "green",
  failed: "red",
  skipped: "amber",
  cancelled: "slate",
};
