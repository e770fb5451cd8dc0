import "server-only";
import type { Client as Ssh2Client } from "ssh2";
import ssh2 from "ssh2";
import { classifyClientError, invalidKeyError, type Ssh2Error, type SshErrorContext } from "./connect-errors";
import type { SshErrorInit } from "./errors";
import { fingerprintOf, normalizeFingerprint } from "./host-keys";

// ssh2 is CommonJS; Node's ESM loader cannot see its named exports, so go through the default.
const { Client } = ssh2;

/** Why a connection is unusable, without the per-exec `command` (each exec adds its own). */
export type ConnectionFailure = Omit<SshErrorInit, "command">;

export interface ConnectionSettings {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  maxChannels: number;
}

export interface ConnectionTarget {
  hostId: string;
  name: string;
  address: string;
  port: number;
  username: string;
  privateKey: string;
  pinnedFingerprint: string;
}

type Waiter = { grant: (release: () => void) => void; fail: (reason: unknown) => void };

/**
 * One ssh2 Client to one host, shared by many execs. It owns the channel budget: sshd's
 * MaxSessions defaults to 10 per connection (sshd_config(5)); we stay below it so a burst of
 * polls queues here instead of failing with "open failed" at the server.
 */
export class Connection {
  readonly client: Ssh2Client;
  readonly ctx: Omit<SshErrorContext, "command">;
  state: "idle" | "connecting" | "ready" | "dead" = "idle";
  failure: ConnectionFailure | undefined;
  /** Resolves on `ready`; rejects with a ConnectionFailure. */
  readonly ready: Promise<void>;
  /** Resolves once the connection is dead (for closeAll). */
  readonly closed: Promise<void>;

  private active = 0;
  private waiters: Waiter[] = [];
  private deathListeners = new Set<(f: ConnectionFailure) => void>();
  private retiring = false;
  private hostKeyMismatch: { expected: string; actual: string } | undefined;
  private resolveReady!: () => void;
  private rejectReady!: (f: ConnectionFailure) => void;
  private resolveClosed!: () => void;

  constructor(
    private readonly target: ConnectionTarget,
    private readonly settings: ConnectionSettings,
    private readonly onDead: (c: Connection) => void,
  ) {
    this.client = new Client();
    this.ctx = {
      host: target.name,
      hostId: target.hostId,
      address: target.address,
      port: target.port,
      username: target.username,
    };
    this.ready = new Promise<void>((res, rej) => {
      this.resolveReady = res;
      this.rejectReady = rej;
    });
    // Nobody may be awaiting `ready` when it fails (e.g. a dropped idle connection).
    this.ready.catch(() => {});
    this.closed = new Promise<void>((res) => {
      this.resolveClosed = res;
    });
  }

  start(): void {
    if (this.state !== "idle") return;
    this.state = "connecting";
    const c = this.client;
    c.on("ready", () => {
      if (this.state !== "connecting") return;
      this.state = "ready";
      this.resolveReady();
    });
    c.on("error", (err: Ssh2Error) => this.die(this.failureFor(err)));
    // A remote disconnect without an error still leaves the host unusable until reconnect.
    const lost = () => this.die({ ...this.ctx, kind: "unreachable", detail: "connection closed" });
    c.on("end", lost);
    c.on("close", lost);
    try {
      c.connect({
        host: this.target.address,
        port: this.target.port,
        username: this.target.username,
        privateKey: this.target.privateKey,
        readyTimeout: this.settings.readyTimeoutMs,
        keepaliveInterval: this.settings.keepaliveIntervalMs,
        keepaliveCountMax: this.settings.keepaliveCountMax,
        // Key exchange finishes before the userauth service is requested, so returning false
        // here guarantees the credentials are never offered to an impostor.
        hostVerifier: (key: Buffer) => this.verifyHostKey(key),
      });
    } catch (e) {
      // ssh2 throws synchronously for a malformed key; its text is not shown (it could quote it).
      const msg = e instanceof Error ? e.message : "";
      this.die(
        /privateKey|private key/i.test(msg)
          ? invalidKeyError(this.ctx)
          : { ...this.ctx, kind: "unreachable", detail: "could not start SSH connection" },
      );
    }
  }

  private verifyHostKey(key: Buffer): boolean {
    const actual = fingerprintOf(key);
    const expected = this.target.pinnedFingerprint;
    // An empty pin never matches: trust on first use must be an explicit operator action.
    if (expected.trim() !== "" && normalizeFingerprint(expected) === actual) return true;
    this.hostKeyMismatch = { expected, actual };
    return false;
  }

  private failureFor(err: Ssh2Error): ConnectionFailure {
    if (this.hostKeyMismatch) {
      return {
        ...this.ctx,
        kind: "host-key",
        expectedFingerprint: this.hostKeyMismatch.expected,
        actualFingerprint: this.hostKeyMismatch.actual,
        detail: "host key does not match the pinned fingerprint",
      };
    }
    return classifyClientError(
      err,
      { ...this.ctx, command: "" },
      { ready: this.state === "ready", readyTimeoutMs: this.settings.readyTimeoutMs },
    );
  }

  /** Notify `cb` if the connection dies; returns the unsubscribe function. */
  onDeath(cb: (f: ConnectionFailure) => void): () => void {
    this.deathListeners.add(cb);
    return () => this.deathListeners.delete(cb);
  }

  get activeChannels(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiters.length;
  }

  /** Wait for a channel slot. The returned release function is idempotent. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (this.state === "dead") return Promise.reject(this.failure);
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.active < this.settings.maxChannels) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        grant: (release) => {
          signal.removeEventListener("abort", onAbort);
          resolve(release);
        },
        fail: (reason) => {
          signal.removeEventListener("abort", onAbort);
          reject(reason);
        },
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      const next = this.state === "dead" ? undefined : this.waiters.shift();
      if (next) {
        this.active++;
        next.grant(this.releaser());
      } else if (this.retiring && this.active === 0) {
        this.client.end();
      }
    };
  }

  /**
   * Stop taking new work (the pool has replaced or is closing this connection) and end it once
   * in-flight channels finish. Execs already queued here still run: they were accepted under
   * this connection's parameters.
   */
  retire(): void {
    if (this.state === "dead") return;
    this.retiring = true;
    if (this.active === 0 && this.waiters.length === 0) {
      if (this.state === "ready") this.client.end();
      else this.kill("connection replaced");
    }
  }

  /** closeAll(): refuse queued work, give running channels `graceMs`, then force-close. */
  async shutdown(graceMs: number): Promise<void> {
    const queued = this.waiters;
    this.waiters = [];
    for (const w of queued) {
      w.fail({ ...this.ctx, kind: "unreachable", detail: "SSH pool is shutting down" });
    }
    this.retire();
    const timer = setTimeout(() => this.kill("SSH pool shut down"), graceMs);
    await this.closed;
    clearTimeout(timer);
  }

  /** Tear down now: every queued and in-flight exec rejects as "unreachable". */
  kill(detail: string): void {
    this.die({ ...this.ctx, kind: "unreachable", detail });
  }

  private die(failure: ConnectionFailure): void {
    if (this.state === "dead") return;
    this.state = "dead";
    this.failure = failure;
    this.rejectReady(failure);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w.fail(failure);
    const listeners = [...this.deathListeners];
    this.deathListeners.clear();
    for (const l of listeners) l(failure);
    this.onDead(this);
    this.client.destroy();
    this.resolveClosed();
  }
}
