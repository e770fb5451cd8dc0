// The window page's one query: polled every 2 s while anything can still change.
import { type WindowView, windowView } from "@/lib/schemas/wire-window";
import { fetchJson } from "@/lib/query-client";

// TODO(lib/query-keys.ts): move this key there; that file was not ours to edit while this landed.
export const windowQueryKey = (id: string) => ["windows", id] as const;

export const POLL_MS = 2_000;

export const fetchWindow = (id: string) => fetchJson(`/api/windows/${id}`, windowView);

/** Running or paused windows change; so do armed ones (they start themselves) and cancelled ones with migrations still in flight. */
export function isLive(w: WindowView | undefined): boolean {
  if (!w) return true;
  return (
    w.state === "running" ||
    w.state === "paused" ||
    (w.state === "planned" && !!w.schedule.armedAt) ||
    w.moves.some((m) => m.state === "started")
  );
}
