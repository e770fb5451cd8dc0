import "server-only";
// Profiling a running worker (the inventory bench does it for its measurement windows): when
// CONVOY_WORKER_CPU_PROFILE_DIR is set, SIGUSR2 starts a V8 CPU profile and the next SIGUSR2 writes
// it to that directory (open the .cpuprofile in Chrome DevTools or speedscope). Off otherwise.
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import path from "node:path";
import { log } from "@/lib/log";

export function profileOnSignal(dir = process.env.CONVOY_WORKER_CPU_PROFILE_DIR): void {
  if (!dir) return;
  const session = new Session();
  session.connect();
  let running = false;
  let n = 0;
  process.on("SIGUSR2", () => {
    if (!running) {
      running = true;
      session.post("Profiler.enable", () => session.post("Profiler.start"));
      return;
    }
    running = false;
    session.post("Profiler.stop", (err, r) => {
      if (err) return log.error("cpu profile failed", { error: err });
      const file = path.join(dir, `worker-${process.pid}-${++n}.cpuprofile`);
      writeFileSync(file, JSON.stringify(r.profile));
      log.info("cpu profile written", { file });
    });
  });
}
