import "server-only";
import type { ClientChannel } from "ssh2";
import type { Connection, ConnectionFailure } from "./connection";

/** What came back from the far side, before exit-status policy (allowNonZero) is applied. */
export interface RawExit {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
}

export interface RunChannelOptions {
  stdin: string | undefined;
  /** Aborted by the per-exec timeout or the caller's AbortSignal; its reason is our rejection. */
  signal: AbortSignal;
  /** How long an abandoned channel may take to confirm its close before the link is "wedged". */
  wedgeGraceMs: number;
  /** stdout + stderr beyond this many bytes: the command is stopped and the exec fails. */
  maxOutputBytes: number;
}

/**
 * Run one command on one channel of `conn`. The caller holds a channel slot; `release` is
 * called only when the server has confirmed the channel closed, so our count of open channels
 * never undercounts what sshd sees (MaxSessions).
 *
 * Rejections: the signal's reason when aborted, a ConnectionFailure when the connection dies, a
 * failure of kind "exit" when the output passes `maxOutputBytes` (a broken or hostile host must
 * not fill the web server's or the worker's memory).
 */
export function runChannel(
  conn: Connection,
  line: string,
  opts: RunChannelOptions,
  release: () => void,
): Promise<RawExit> {
  return new Promise<RawExit>((resolve, reject) => {
    let done = false;
    let stream: ClientChannel | undefined;
    let channelClosed = false;

    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      opts.signal.removeEventListener("abort", onAbort);
      offDeath();
      fn();
    };

    // A dead connection frees all its channels at once; nothing will ever close them one by one.
    const offDeath = conn.onDeath((failure: ConnectionFailure) => {
      release();
      finish(() => reject(failure));
    });

    const onAbort = () => {
      finish(() => reject(opts.signal.reason));
      if (stream) abandon(stream);
      pendingCloseHooks.push(watchForWedge(conn, opts.wedgeGraceMs, () => channelClosed));
    };
    const pendingCloseHooks: Array<() => void> = [];
    const onChannelClosed = () => {
      channelClosed = true;
      for (const h of pendingCloseHooks) h();
      release();
    };

    opts.signal.addEventListener("abort", onAbort, { once: true });

    try {
      conn.client.exec(line, (err, s) => {
        if (err) {
          // Channel open refused (e.g. the server's own session limit) or connection gone.
          onChannelClosed();
          finish(() =>
            reject({
              ...conn.ctx,
              kind: "unreachable",
              detail: `channel open failed: ${err.message}`,
            }),
          );
          return;
        }
        stream = s;
        readChannel(s, opts.maxOutputBytes, () => done, {
          complete: (raw) => {
            onChannelClosed();
            finish(() => resolve(raw));
          },
          overflow: (detail) => {
            finish(() => reject({ ...conn.ctx, kind: "exit", detail }));
            abandon(s);
          },
        });

        if (done) {
          // Aborted while the channel was being opened: close it right away.
          abandon(s);
          return;
        }
        // Always send EOF so a command that reads stdin cannot wait on us forever.
        if (opts.stdin !== undefined) s.end(opts.stdin);
        else s.end();
      });
    } catch {
      // ssh2 throws "Not connected" if the socket went away between ready and now.
      release();
      finish(() => reject({ ...conn.ctx, kind: "unreachable", detail: "not connected" }));
    }
  });
}

/**
 * sshd does not kill a non-pty command when its channel closes; a hung `virsh` would linger on the
 * hypervisor, so ask for TERM first (OpenSSH >= 7.9 honours "signal"), then close.
 */
function abandon(s: ClientChannel): void {
  try {
    signalAfterEof(s, "TERM");
    s.close();
  } catch {
    // The channel or socket is already gone; the death/close handlers clean up.
  }
}

/**
 * If the server cannot even confirm a channel close (or open) within the grace period, the whole
 * connection is wedged: drop it so the next exec reconnects instead of queueing behind a dead link
 * for the keepalive's 15 s. Returns what stops the watch once the channel closed.
 */
function watchForWedge(conn: Connection, graceMs: number, channelClosed: () => boolean): () => void {
  const wedge = setTimeout(() => {
    if (!channelClosed()) conn.kill("connection wedged: channel close not acknowledged");
  }, graceMs);
  wedge.unref();
  const stop = () => clearTimeout(wedge);
  conn.closed.then(stop);
  return stop;
}

/**
 * Collects a channel's stdout and stderr up to `maxOutputBytes` in all, and reports once the
 * channel closed and stderr ended (ssh2 may emit them in either order).
 */
function readChannel(
  s: ClientChannel,
  maxOutputBytes: number,
  isDone: () => boolean,
  on: { complete: (raw: RawExit) => void; overflow: (detail: string) => void },
): void {
  const out: Buffer[] = [];
  const errOut: Buffer[] = [];
  let exitCode: number | null = null;
  let exitSignal: string | null = null;
  let stderrEnded = false;
  let closedWaitingForStderr = false;
  // Decode once at the end so multi-byte characters split across packets survive.
  const complete = () =>
    on.complete({
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(errOut).toString("utf8"),
      exitCode,
      signal: exitSignal,
    });

  let size = 0;
  const collect = (into: Buffer[]) => (d: Buffer) => {
    if (isDone()) return;
    size += d.length;
    if (size <= maxOutputBytes) {
      into.push(d);
      return;
    }
    out.length = 0;
    errOut.length = 0;
    on.overflow(`output larger than ${Number((maxOutputBytes / 1_048_576).toFixed(2))} MiB: refused and stopped`);
  };
  s.on("data", collect(out));
  s.stderr.on("data", collect(errOut));
  s.stderr.on("end", () => {
    stderrEnded = true;
    if (closedWaitingForStderr) complete();
  });
  s.on("exit", (code: number | null, sig?: string) => {
    exitCode = typeof code === "number" ? code : null;
    exitSignal = sig ?? null;
  });
  s.on("error", () => {
    // Stream errors accompany connection loss; the death handler reports it.
  });
  s.on("close", () => {
    if (stderrEnded) complete();
    else closedWaitingForStderr = true;
  });
}

/**
 * ssh2's public `channel.signal()` is a no-op once we have sent EOF (it checks `writable`), and
 * we always send EOF right away. The SSH protocol allows the request after EOF, so go through
 * the channel's protocol handle (ssh2 1.x internals, guarded: if they change we only lose the
 * best-effort TERM, the channel is still closed).
 */
function signalAfterEof(s: ClientChannel, name: string): void {
  const ch = s as unknown as {
    outgoing?: { id?: number; state?: string };
    _client?: { _protocol?: { signal?: (id: number, sig: string) => void } };
  };
  const id = ch.outgoing?.id;
  const state = ch.outgoing?.state;
  const proto = ch._client?._protocol;
  if (typeof id === "number" && (state === "open" || state === "eof") && proto?.signal) {
    proto.signal(id, name);
  }
}
