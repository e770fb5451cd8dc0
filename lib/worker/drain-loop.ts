import "server-only";
import { runningWindowIds } from "@/lib/db/moves";
import { endLaunches } from "@/lib/db/window-schedule";
import { completeWindows, settleEndedMoves, startMoves, type VmProbe } from "@/lib/evacuation/drain";
import { probeVmOverSsh } from "@/lib/evacuation/vm-probe";
import { log } from "@/lib/log";

/**
 * One pass of every drain (issue 5): stop launches of scheduled windows past their end, settle moves whose migration ended (completed, or retried
 * elsewhere), start what each running window's limits allow, then complete windows with nothing
 * left (drained hosts → maintenance). All state is in Postgres, so any worker can run any pass and
 * a restarted one resumes; the migrations themselves belong to the migration loop.
 */
const SETTLE_BATCH = 100;

export class DrainLoop {
  constructor(private readonly probe: VmProbe = probeVmOverSsh) {}

  async tick(): Promise<void> {
    // Armed windows past their end stop launching before anything new is started.
    for (const id of await endLaunches(new Date())) log.info("drain: window ended, no new launches", { windowId: id });
    // A large batch may end at once: settle all of it before starting anything new.
    let settled: number;
    do settled = await settleEndedMoves(SETTLE_BATCH);
    while (settled === SETTLE_BATCH);
    for (const id of await runningWindowIds()) {
      const started = await startMoves(id, this.probe).catch((e) => {
        log.error("drain: starting moves failed", { windowId: id, error: e });
        return 0;
      });
      if (started) log.info("drain: moves started", { windowId: id, started });
    }
    for (const id of await completeWindows()) log.info("drain: window completed", { windowId: id });
  }
}
