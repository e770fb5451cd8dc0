// libvirt's and QEMU's own records of a finished migration on a lab host, read directly (not
// through Convoy): the job-completed event Convoy's watcher logged on the source, and the last
// "completed" query-migrate reply in the host's QMP debug log (lab/setup.sh: log_outputs 1:file).
import type { JobInfo } from "../lib/virsh/parse-domjobinfo";
import { parseJobCompletedEvent } from "../lib/virsh/parse-job-event";
import { type HostName, onHost } from "./lab-hosts";

export function jobCompletedEvent(host: HostName, migrationId: string, vm: string): JobInfo {
  const text = onHost(host, "cat", `/tmp/convoy-migration-${migrationId}.events`);
  const e = parseJobCompletedEvent(text, vm);
  if (!e) throw new Error(`no job-completed event for ${vm} on ${host}:\n${text}`);
  return e.job;
}

type QueryMigrate = {
  status: string;
  downtime?: number;
  "total-time"?: number;
  ram?: { transferred?: number; "postcopy-bytes"?: number };
};

export function qemuCompletedReply(host: HostName): QueryMigrate {
  const line = onHost(
    host,
    "sh",
    "-c",
    `grep -o '"return": *{"status": *"completed".*' /var/log/libvirt/qmp-debug.log | tail -1`,
  );
  const json = /"return": *(\{.*\})/.exec(line)?.[1];
  if (!json) throw new Error(`no completed query-migrate reply in ${host}'s QMP log`);
  // The log line may carry more after the reply object: cut at the object's end.
  let depth = 0;
  for (let i = 0; i < json.length; i++) {
    depth += json[i] === "{" ? 1 : json[i] === "}" ? -1 : 0;
    if (depth === 0) return JSON.parse(json.slice(0, i + 1)) as QueryMigrate;
  }
  throw new Error(`unreadable query-migrate reply: ${line.slice(0, 200)}`);
}
