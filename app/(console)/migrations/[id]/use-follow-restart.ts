"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo } from "react";
import type { MigrationEventView } from "@/lib/schemas/wire";

/** The attempt this migration was restarted as, if any; followed at once when this operator asked for the restart. */
export function useFollowRestart(events: MigrationEventView[], restartRequested: boolean): string | null {
  const router = useRouter();
  const restartedAs = useMemo(() => findRestart(events), [events]);
  useEffect(() => {
    // This operator asked for the restart here: follow the new attempt as soon as it exists.
    if (restartRequested && restartedAs) router.push(`/migrations/${restartedAs}`);
  }, [restartRequested, restartedAs, router]);
  return restartedAs;
}

/** The worker's "restarted" event names the new attempt in its data. */
function findRestart(events: MigrationEventView[]): string | null {
  const data = events.findLast((x) => x.type === "restarted")?.data as { next?: string } | null | undefined;
  return data?.next ?? null;
}
