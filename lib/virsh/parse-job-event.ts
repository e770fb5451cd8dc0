// The output of `virsh event --domain D --event job-completed --timestamp` (commands.jobCompletedEvent):
//   2026-12-05 07:10:41.093+0000: event 'job-completed' for domain 'vm-busy':
//   	operation: 5
//   	time_elapsed: 61012
//   	…
//   events received: 1
// The stats are the completed job's typed parameters, the same keys as `domjobinfo --rawstats`.
import { VirshParseError } from "./errors";
import { type JobInfo, jobInfoFromRawStats } from "./job-info";
import { lines } from "./text";

const P = "parseJobCompletedEvent";
const HEAD = /^(?:(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\+0000: )?event 'job-completed' for domain '(.*)':$/;

export type JobCompletedEvent = { domain: string; at: Date | null; job: JobInfo };

/** The first job-completed event for `domain` in the log, or null when none arrived (yet). */
export function parseJobCompletedEvent(text: string, domain: string): JobCompletedEvent | null {
  const all = lines(text);
  for (let i = 0; i < all.length; i++) {
    const head = HEAD.exec(all[i] ?? "");
    if (!head || head[2] !== domain) continue;
    const raw: Record<string, string> = {};
    for (const line of all.slice(i + 1)) {
      const kv = /^\t([a-z0-9_]+): (.*)$/.exec(line);
      if (!kv?.[1]) break;
      raw[kv[1]] = kv[2] ?? "";
    }
    // A block cut off before its first stat (virsh killed mid-write) proves nothing.
    if (!("time_elapsed" in raw))
      throw new VirshParseError(P, "job-completed event without time_elapsed", all.slice(i, i + 3).join("\n"));
    const at = head[1] ? new Date(`${head[1].replace(" ", "T")}Z`) : null;
    return { domain, at, job: jobInfoFromRawStats("completed", raw, P) };
  }
  return null;
}
