import "server-only";
import pg from "pg";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { CHANNEL } from "@/lib/realtime/channels";
import { type LiveUpdate, liveUpdate } from "@/lib/schemas/wire";

type Listener = (u: LiveUpdate) => void;

/**
 * One LISTEN connection per web server, fanned out in memory to its SSE streams. Reconnects with
 * backoff when Postgres restarts; once LISTEN is back, subscribers get a "gap" callback so they
 * re-read state. Not before: a page that re-read while nobody listened would miss every update
 * committed between its read and the new LISTEN, and no later gap would tell it. The first LISTEN
 * of a fresh web server counts as "back" too: streams that subscribed while it was connecting read
 * their snapshot before anyone listened.
 */
class Hub {
  private listeners = new Map<string, Set<Listener>>();
  private gapListeners = new Set<() => void>();
  private sessionListeners = new Map<string, Set<() => void>>();
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private backoffMs = 500;
  /** Updates may have gone unheard: true until the first LISTEN, and again after each loss. */
  private missed = true;

  subscribe(migrationId: string | "*", fn: Listener, onGap?: () => void): () => void {
    void this.ensureConnected();
    const set = this.listeners.get(migrationId) ?? new Set();
    set.add(fn);
    this.listeners.set(migrationId, set);
    if (onGap) this.gapListeners.add(onGap);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.listeners.get(migrationId) === set) this.listeners.delete(migrationId);
      if (onGap) this.gapListeners.delete(onGap);
    };
  }

  /** `fn` runs when sessions of `userId` are revoked on any web server (and after a gap). */
  onSessionRevoked(userId: string, fn: () => void): () => void {
    void this.ensureConnected();
    const set = this.sessionListeners.get(userId) ?? new Set();
    set.add(fn);
    this.sessionListeners.set(userId, set);
    // A revocation sent while LISTEN was down is lost: re-check on the gap too.
    this.gapListeners.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.sessionListeners.get(userId) === set) this.sessionListeners.delete(userId);
      this.gapListeners.delete(fn);
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: env().DATABASE_URL, keepAlive: true });
    client.on("notification", (msg) => {
      if (!msg.payload) return;
      try {
        if (msg.channel === CHANNEL.session) {
          const { userId } = JSON.parse(msg.payload) as { userId: string };
          for (const fn of this.sessionListeners.get(userId) ?? []) fn();
          return;
        }
        const update = liveUpdate.safeParse(JSON.parse(msg.payload));
        if (!update.success) {
          log.warn("notification is not a live update; dropped", { at: update.error.issues[0]?.path.join(".") });
          return;
        }
        const u = update.data;
        for (const key of [u.migrationId, "*"]) for (const fn of this.listeners.get(key) ?? []) fn(u);
      } catch (e) {
        log.warn("bad notification payload", { error: e });
      }
    });
    const lost = (e?: unknown) => {
      if (this.client !== client) return;
      this.client = null;
      log.warn("live updates connection lost; reconnecting", { error: e });
      client.end().catch(() => {});
      this.missed = true;
      setTimeout(() => void this.ensureConnected(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    };
    client.on("error", lost);
    client.on("end", () => lost());
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL.migration}; LISTEN ${CHANNEL.session}`);
      this.client = client;
      this.backoffMs = 500;
      if (this.missed) {
        this.missed = false;
        log.info("live updates connection back");
        for (const fn of this.gapListeners) fn();
      }
    } catch (e) {
      client.end().catch(() => {});
      log.warn("cannot listen for live updates", { error: e });
      setTimeout(() => void this.ensureConnected(), this.backoffMs);
      this.backoffMs = Math.min(this.backoffMs * 2, 10_000);
    }
  }
}

const g = globalThis as unknown as { convoyHub?: Hub };
export function getHub(): Hub {
  g.convoyHub ??= new Hub();
  return g.convoyHub;
}
