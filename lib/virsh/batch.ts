// Several read-only virsh commands in one SSH exec. A host read used to open one SSH channel per
// command (5 + 3 per domain); sshd allows 10 sessions per connection by default and every channel
// costs a round trip, so a host with 30 domains queued ~95 channels. One line runs the commands one
// after another on the host; after each, a marker line carries its exit status. The marker holds a
// random nonce chosen per exec, so nothing a command prints (a domain's XML carries user-set
// strings) can fake a boundary. Pure: the caller runs the line.
import { commandLine } from "@/lib/ssh/quote";

export type BatchResult = { exitCode: number; output: string };

const MARKER = /^convoy-end-[0-9a-f]{32}$/;

/** The shell line; each command's stderr is folded into its output (virsh prints errors there). */
export function batchLine(commands: readonly string[][], marker: string): string {
  if (!MARKER.test(marker)) throw new Error("batchLine: marker must be convoy-end-<32 hex digits>");
  if (commands.length === 0) throw new Error("batchLine: no commands");
  // `$?` must be read by the very next command (an `echo` before it would report its own 0); the
  // marker may therefore follow output that has no final newline on the same line.
  return commands.map((argv) => `${commandLine(argv)} 2>&1; echo ${marker} $?`).join("; ");
}

/**
 * Splits the batch's output back into one result per command, in order. Throws when fewer
 * markers came back than commands were sent (the shell or the host died part-way).
 */
export function parseBatch(stdout: string, marker: string, count: number): BatchResult[] {
  const out: BatchResult[] = [];
  let from = 0;
  const tail = new RegExp(`${marker} (\\d{1,3})\\n`, "y");
  for (let i = 0; i < count; i++) {
    const at = stdout.indexOf(`${marker} `, from);
    if (at < 0) throw new Error(`virsh batch ended after ${i} of ${count} commands`);
    tail.lastIndex = at;
    const m = tail.exec(stdout);
    if (!m) throw new Error(`virsh batch: malformed end marker after command ${i + 1}`);
    out.push({ exitCode: Number(m[1]), output: stdout.slice(from, at) });
    from = tail.lastIndex;
  }
  return out;
}
