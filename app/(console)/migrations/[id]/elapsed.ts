import type { LiveSample, MigrationView } from "@/lib/schemas/wire";

/**
 * How long the migration has run: while active, from its start to `now` (the last sample's figure
 * before the clock is known); once finished, libvirt's total, else start to end, else the last sample's.
 */
export function elapsedMs(
  view: Pick<MigrationView, "startedAt" | "endedAt" | "totalTimeMs">,
  active: boolean,
  lastSample: LiveSample | undefined,
  now: number | null,
): number | null {
  return active
    ? view.startedAt && now !== null
      ? now - Date.parse(view.startedAt)
      : (lastSample?.elapsedMs ?? null)
    : (view.totalTimeMs ??
        (view.startedAt && view.endedAt
          ? Date.parse(view.endedAt) - Date.parse(view.startedAt)
          : (lastSample?.elapsedMs ?? null)));
}
