import "server-only";
import { env } from "../env";
import { metrics } from "../metrics/convoy";
import { Connection, type ConnectionFailure, type ConnectionSettings } from "./connection";
import { SSH_ERROR_KINDS, SshError, type SshErrorKind } from "./errors";
import { type RawExit, runChannel } from "./exec";
import { commandLine } from "./quote";
import { paramsKey, validateTarget } from "./target";

export type SshTarget = {
  hostId: string;
  /** Display name used in error messages ("hv03"). */
  name: string;
  address: string;
  port: number;
  username: string;
  /** OpenSSH/PEM private key text. Never logged, never put into errors. */
  privateKey: string;
  /** "SHA256:…" as printed by `ssh-keygen -lf`; empty = not pinned = refuse. */
  pinnedFingerprint: string;
};

export interface ExecOptions {
  /** Whole-exec deadline (queueing + connecting + running). Default 15 s. */
  timeoutMs?: number;
  /** Aborting rejects with `signal.reason` (not an SshError) and closes the channel. */
  signal?: AbortSignal;
  stdin?: string;
  /** Resolve with a non-zero exitCode instead of throwing kind "exit". */
  allowNonZero?: boolean;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface SshPoolOptions {
  readyTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  defaultTimeoutMs?: number;
  /** Concurrent channels per connection before execs queue (sshd MaxSessions defaults to 10). */
  maxChannelsPerConnection?: number;
  /** After a timeout, how long the server gets to confirm the channel close before we drop the link. */
  wedgeGraceMs?: number;
  /** Largest stdout + stderr of one exec (default 4 MiB); virsh answers are far smaller. */
  maxOutputBytes?: number;
}

export interface SshPoolStats {
  /** Connections currently open or opening. */
  connections: number;
  /** Connections opened since the pool was created. */
  connectionsOpened: number;
  /** exec/execRaw calls since the pool was created. */
  execs: number;
  inFlight: number;
  queued: number;
  errorsByKind: Record<SshErrorKind, number>;
}

type Settings = ConnectionSettings & { defaultTimeoutMs: number; wedgeGraceMs: number; maxOutputBytes: number };

const DEFAULTS: Settings = {
  readyTimeoutMs: 10_000,
  // ssh2 disables keepalives by default; without them a dead hypervisor hangs every poll.
  keepaliveIntervalMs: 5_000,
  keepaliveCountMax: 3,
  defaultTimeoutMs: 15_000,
  maxChannels: 8,
  wedgeGraceMs: 5_000,
  maxOutputBytes: 4 * 1_048_576,
};

/** Marker abort reason so our own timeout is told apart from the caller's AbortSignal. */
class ExecTimeout {
  constructor(readonly timeoutMs: number) {}
}

function isConnectionFailure(x: unknown): x is ConnectionFailure {
  return (
    typeof x === "object" &&
    x !== null &&
    !(x instanceof Error) &&
    typeof (x as { kind?: unknown }).kind === "string" &&
    typeof (x as { host?: unknown }).host === "string"
  );
}

function raceAbort<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

/**
 * One lazily opened, shared SSH connection per host (ssh2 multiplexes channels over it), with
 * host-key pinning, keepalive, readyTimeout, per-exec timeouts and structured errors.
 */
export class SshPool {
  private readonly settings: Settings;
  private readonly conns = new Map<string, { conn: Connection; key: string }>();
  private readonly live = new Set<Connection>();
  private execCount = 0;
  private opened = 0;
  private readonly errors = Object.fromEntries(SSH_ERROR_KINDS.map((k) => [k, 0])) as Record<SshErrorKind, number>;

  constructor(options: SshPoolOptions = {}) {
    this.settings = {
      readyTimeoutMs: options.readyTimeoutMs ?? DEFAULTS.readyTimeoutMs,
      keepaliveIntervalMs: options.keepaliveIntervalMs ?? DEFAULTS.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax ?? DEFAULTS.keepaliveCountMax,
      defaultTimeoutMs: options.defaultTimeoutMs ?? DEFAULTS.defaultTimeoutMs,
      maxChannels: options.maxChannelsPerConnection ?? DEFAULTS.maxChannels,
      wedgeGraceMs: options.wedgeGraceMs ?? DEFAULTS.wedgeGraceMs,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULTS.maxOutputBytes,
    };
  }

  /** Quote argv (lib/ssh/quote) and run it. */
  exec(target: SshTarget, argv: string[], opts: ExecOptions = {}): Promise<ExecResult> {
    let line: string;
    try {
      line = commandLine(argv);
    } catch (e) {
      return Promise.reject(e);
    }
    return this.execRaw(target, line, opts);
  }

  /** Run an already-quoted line (built by lib/virsh/commands, e.g. `detached(...)`). */
  async execRaw(target: SshTarget, line: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.execCount++;
    const started = performance.now();
    try {
      return await this.run(target, line, opts);
    } catch (e) {
      if (e instanceof SshError) {
        this.errors[e.kind]++;
        metrics().sshErrors.inc({ host: target.name, kind: e.kind });
      }
      throw e;
    } finally {
      metrics().sshExec.observe(undefined, (performance.now() - started) / 1000);
    }
  }

  private async run(target: SshTarget, line: string, opts: ExecOptions): Promise<ExecResult> {
    validateTarget(target);
    if (line.includes("\0")) throw new Error("execRaw: command line contains a NUL byte");
    const userSignal = opts.signal;
    if (userSignal?.aborted) throw userSignal.reason;

    const timeoutMs = opts.timeoutMs ?? this.settings.defaultTimeoutMs;
    const timeout = new ExecTimeout(timeoutMs);
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(timeout), timeoutMs);
    const onUserAbort = () => ac.abort(userSignal?.reason);
    userSignal?.addEventListener("abort", onUserAbort, { once: true });

    const conn = this.connectionFor(target);
    let release: (() => void) | undefined;
    try {
      // Take the slot before waiting for `ready`, so a connection being replaced mid-handshake
      // knows it still has work and is not torn down under us.
      release = await conn.acquire(ac.signal);
      await raceAbort(conn.ready, ac.signal);
      const owned = release;
      release = undefined; // runChannel releases once the server confirms the channel closed
      const raw = await runChannel(
        conn,
        line,
        {
          stdin: opts.stdin,
          signal: ac.signal,
          wedgeGraceMs: this.settings.wedgeGraceMs,
          maxOutputBytes: this.settings.maxOutputBytes,
        },
        owned,
      );
      return this.applyExitPolicy(raw, conn, line, opts.allowNonZero === true);
    } catch (reason) {
      release?.();
      if (reason === timeout) {
        throw new SshError({ ...conn.ctx, kind: "timeout", command: line, timeoutMs });
      }
      if (isConnectionFailure(reason)) throw new SshError({ ...reason, command: line });
      throw reason; // SshError from applyExitPolicy, or the caller's abort reason
    } finally {
      clearTimeout(timer);
      userSignal?.removeEventListener("abort", onUserAbort);
    }
  }

  private applyExitPolicy(raw: RawExit, conn: Connection, line: string, allowNonZero: boolean): ExecResult {
    const base = { ...conn.ctx, command: line, stderr: raw.stderr };
    // A signal death or a missing exit status has no exit code the caller could inspect, so
    // allowNonZero does not cover it.
    if (raw.signal !== null) {
      throw new SshError({ ...base, kind: "exit", exitCode: null, signal: raw.signal });
    }
    if (raw.exitCode === null) {
      throw new SshError({ ...base, kind: "exit", exitCode: null, detail: "no exit status" });
    }
    if (raw.exitCode !== 0 && !allowNonZero) {
      throw new SshError({ ...base, kind: "exit", exitCode: raw.exitCode });
    }
    return { stdout: raw.stdout, stderr: raw.stderr, exitCode: raw.exitCode };
  }

  private connectionFor(target: SshTarget): Connection {
    const key = paramsKey(target);
    const existing = this.conns.get(target.hostId);
    if (existing && existing.key === key && existing.conn.state !== "dead") return existing.conn;
    if (existing) {
      // Address, user, key or pin changed: new work goes to a fresh connection; the old one
      // finishes what it already accepted and then ends.
      this.conns.delete(target.hostId);
      existing.conn.retire();
    }
    const conn = new Connection({ ...target, name: target.name || target.address }, this.settings, (dead) => {
      this.live.delete(dead);
      if (this.conns.get(target.hostId)?.conn === dead) this.conns.delete(target.hostId);
    });
    this.conns.set(target.hostId, { conn, key });
    this.live.add(conn);
    this.opened++;
    conn.start();
    return conn;
  }

  /** Close a host's connection now; its in-flight execs reject with kind "unreachable". */
  drop(hostId: string): void {
    const entry = this.conns.get(hostId);
    if (!entry) return;
    this.conns.delete(hostId);
    entry.conn.kill("connection dropped");
  }

  /**
   * Graceful shutdown: queued execs reject, running ones get `graceMs` to finish, then every
   * connection is closed. The pool stays usable afterwards (it reconnects lazily).
   */
  async closeAll(graceMs = 2_000): Promise<void> {
    this.conns.clear();
    await Promise.all([...this.live].map((c) => c.shutdown(graceMs)));
  }

  stats(): SshPoolStats {
    let inFlight = 0;
    let queued = 0;
    for (const c of this.live) {
      inFlight += c.activeChannels;
      queued += c.queued;
    }
    return {
      connections: this.live.size,
      connectionsOpened: this.opened,
      execs: this.execCount,
      inFlight,
      queued,
      errorsByKind: { ...this.errors },
    };
  }
}

// Next dev re-evaluates modules on every hot reload; a module-level `new SshPool()` would leak
// one set of SSH connections per reload. globalThis survives reloads.
const POOL_KEY = Symbol.for("convoy.lib.ssh.pool");

export function getSshPool(): SshPool {
  const g = globalThis as unknown as Record<symbol, SshPool | undefined>;
  let pool = g[POOL_KEY];
  if (!pool) {
    // The handshake must fail inside the command's budget, or a host that accepts TCP and never
    // speaks SSH would be reported as a slow command rather than as unreachable.
    const timeoutMs = env().CONVOY_SSH_TIMEOUT_MS;
    pool = new SshPool({
      defaultTimeoutMs: timeoutMs,
      readyTimeoutMs: Math.min(DEFAULTS.readyTimeoutMs, Math.floor(timeoutMs * 0.6)),
    });
    g[POOL_KEY] = pool;
  }
  return pool;
}
