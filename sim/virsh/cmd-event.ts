// `virsh event --domain D --event job-completed [--timestamp] [--timeout S]`: waits for the
// domain's next job-completed event on the connected libvirtd, prints it like virsh 9.0
// (virshEventJobCompletedPrint: a head line, then "\tkey: value" per typed parameter), then
// "events received: N". Only job-completed is simulated: the one event Convoy listens for.
import { orderedStats } from "./jobinfo-format";
import { type CommandDef, lookupDomain } from "./context";
import { VirshTerminated } from "./cmd-migrate";
import { VirshError } from "./errors";
import { flag, int, str } from "./options";

export type JobCompletedEvent = { host: string; domain: string; stats: Record<string, number | string> };

export const eventCommand: CommandDef = {
  name: "event",
  opts: [str("domain"), str("event"), flag("all"), flag("loop"), int("timeout"), flag("list"), flag("timestamp")],
  async run(ctx, a) {
    if (a.str("event") !== "job-completed")
      throw new VirshError("Operation not supported: only job-completed events are simulated");
    const name = a.has("domain") ? lookupDomain(ctx, a).name : undefined;
    const timeoutS = a.int("timeout");
    if (timeoutS !== undefined && timeoutS < 1) throw new VirshError("event: Invalid timeout");
    const events = ctx.fleet.domainEvents;
    const got = await new Promise<JobCompletedEvent | "timeout" | "killed">((resolve) => {
      const onEvent = (e: JobCompletedEvent) => {
        if (e.host === ctx.host.name && (name === undefined || e.domain === name)) done(e);
      };
      const onKill = () => done("killed");
      // The timeout is the host's wall seconds: the simulated clock may run faster.
      const timer =
        timeoutS === undefined
          ? undefined
          : setTimeout(() => done("timeout"), Math.max(1, (timeoutS * 1000) / ctx.fleet.timeScale));
      const done = (r: JobCompletedEvent | "timeout" | "killed") => {
        events.off("job-completed", onEvent);
        ctx.proc.term.removeEventListener("abort", onKill);
        if (timer) clearTimeout(timer);
        resolve(r);
      };
      events.on("job-completed", onEvent);
      ctx.proc.term.addEventListener("abort", onKill, { once: true });
    });
    if (got === "killed") throw new VirshTerminated();
    if (got === "timeout") {
      // Real virsh 9.0 (lab): these two lines, then exit status 1 with no error line.
      ctx.out("event loop timed out\nevents received: 0\n");
      throw new VirshError();
    }
    const stamp = a.bool("timestamp") ? `${new Date().toISOString().replace("T", " ").replace("Z", "+0000")}: ` : "";
    let out = `${stamp}event 'job-completed' for domain '${got.domain}':\n`;
    for (const [k, v] of orderedStats(got.stats)) out += `\t${k}: ${typeof v === "number" ? Math.round(v) : v}\n`;
    ctx.out(`${out}events received: 1\n`);
  },
};
