"use client";

// The live view of one migration: the server-rendered snapshot, then the SSE stream on top of it.
// The reducer is pure (append samples, keep the point budget, progress never backwards); the hook
// owns the EventSource and reconnects with backoff on errors and on `gap` (a fresh snapshot).
import { useEffect, useReducer, useState } from "react";
import { lttb } from "@/lib/migration/lttb";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import {
  type LiveSample,
  type LiveUpdate,
  liveUpdate,
  type MigrationEventView,
  type MigrationView,
  migrationView,
  type SampleUpdate,
} from "@/lib/schemas/wire";

/** Above this many points in memory the older part is re-downsampled (Recharts budget ~1.5k). */
export const MAX_POINTS = 2_000;
/** The newest samples stay raw: the ETA band and the last pass need real 1 Hz readings. */
const RAW_TAIL = 300;
const OLD_TARGET = 1_200;
const TERMINAL = new Set(["completed", "failed", "cancelled", "lost"]);

export const isTerminalState = (s: string) => TERMINAL.has(s);

/**
 * Nothing more will happen to this migration. A run cancelled by "restart with auto-converge" is
 * not settled until the worker's "restarted" event names the new attempt: it commits just after
 * the cancel, so a snapshot read in between must not end the stream.
 */
export const isSettled = (
  v: Pick<MigrationView, "state" | "events"> & Partial<Pick<MigrationView, "guestHealth" | "endedAt">>,
) =>
  isTerminalState(v.state) &&
  !(
    v.state === "cancelled" &&
    v.events.some((e) => e.type === "restart-with-auto-converge") &&
    !v.events.some((e) => e.type === "restarted")
  ) &&
  !awaitingGuestHealth(v);

/** GUEST_VERDICTS: the worker's health verdict on a landed guest (lib/db/guest-health.ts). */
export const GUEST_VERDICTS = ["guest-healthy", "guest-unhealthy", "guest-unknown"];

/**
 * A landing is watched for a settle time before its guest is called healthy or not: keep the
 * stream open for that verdict (a landing not yet claimed by a worker has no health for a moment).
 */
function awaitingGuestHealth(v: Partial<Pick<MigrationView, "state" | "guestHealth" | "endedAt">>): boolean {
  if (v.state !== "completed" || v.guestHealth === undefined) return false;
  if (v.guestHealth === "checking") return true;
  return v.guestHealth === null && !!v.endedAt && Date.now() - Date.parse(v.endedAt) < 120_000;
}

export type StreamAction =
  | { type: "snapshot"; view: MigrationView }
  | ({ type: "sample" } & Omit<SampleUpdate, "migrationId">)
  | { type: "event"; event: MigrationEventView }
  | { type: "state"; state: MigrationView["state"]; error: string | null };

export function capSamples(samples: LiveSample[]): LiveSample[] {
  if (samples.length <= MAX_POINTS) return samples;
  const old = samples.slice(0, -RAW_TAIL);
  const tail = samples.slice(-RAW_TAIL);
  return [
    ...lttb(
      old,
      OLD_TARGET,
      (s) => Date.parse(s.at),
      (s) => s.remainingBytes,
    ),
    ...tail,
  ];
}

export function reduceView(v: MigrationView, a: StreamAction): MigrationView {
  switch (a.type) {
    case "snapshot":
      // A reconnect's snapshot may carry a progress a little behind what the stream already showed.
      return {
        ...a.view,
        progressPct: a.view.id === v.id ? Math.max(v.progressPct, a.view.progressPct) : a.view.progressPct,
      };
    case "sample": {
      const last = v.samples.at(-1);
      if (last && Date.parse(a.sample.at) <= Date.parse(last.at)) return v; // replayed or out of order
      return {
        ...v,
        samples: capSamples([...v.samples, a.sample]),
        sampleCount: v.sampleCount + 1,
        progressPct: Math.max(v.progressPct, a.progressPct),
        verdict: a.verdict,
      };
    }
    case "event":
      if (v.events.some((e) => e.id === a.event.id)) return v;
      return {
        ...v,
        options: { ...v.options, ...readBack(a.event) },
        events: [...v.events, a.event].sort((x, y) => Date.parse(x.at) - Date.parse(y.at)),
      };
    case "state":
      if (isTerminalState(v.state)) return v; // terminal is final; a late message cannot revive it
      return {
        ...v,
        state: a.state,
        error: a.error ?? v.error,
        progressPct: a.state === "completed" ? 100 : v.progressPct,
      };
  }
}

/**
 * A setting changed mid-flight (button or policy): its event carries the value read back from the
 * host (migrate-getspeed / migrate-getmaxdowntime), which is what the page shows from then on.
 */
function readBack(e: MigrationEventView): Partial<LaunchOptions> {
  const d = e.data as { bandwidthMiB?: unknown; maxDowntimeMs?: unknown } | null;
  if (e.type === "set-bandwidth" && d && "bandwidthMiB" in d)
    return { bandwidthMiB: typeof d.bandwidthMiB === "number" ? d.bandwidthMiB : undefined };
  if (e.type === "set-max-downtime" && typeof d?.maxDowntimeMs === "number") return { maxDowntimeMs: d.maxDowntimeMs };
  return {};
}

export type Connection = "connecting" | "live" | "reconnecting" | "ended";

const BACKOFF_MS = [1_000, 2_000, 5_000, 10_000, 20_000, 30_000];

export function useMigrationStream(initial: MigrationView) {
  const [view, dispatch] = useReducer(reduceView, initial);
  const [connection, setConnection] = useState<Connection>(isSettled(initial) ? "ended" : "connecting");
  const [attempt, setAttempt] = useState(0);
  const id = initial.id;
  const startTerminal = isSettled(initial);

  useEffect(() => {
    // A finished migration is a replay: the server-rendered snapshot is complete, no stream needed.
    if (startTerminal) return;
    let es: EventSource | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let failures = 0;
    let stopped = false;

    const reconnect = (delayMs: number) => {
      es?.close();
      es = null;
      if (stopped) return;
      setConnection("reconnecting");
      clearTimeout(timer);
      timer = setTimeout(connect, delayMs);
    };
    const data = (e: Event) => JSON.parse((e as MessageEvent<string>).data);
    // Every message is parsed with its wire schema (lib/schemas/wire.ts); one that is not is dropped.
    const update = <K extends LiveUpdate["kind"]>(e: Event, kind: K) => {
      const u = liveUpdate.safeParse(data(e));
      return u.success && u.data.kind === kind ? (u.data as Extract<LiveUpdate, { kind: K }>) : null;
    };

    function connect() {
      if (stopped) return;
      const source = new EventSource(`/api/migrations/${id}/events`);
      es = source;
      source.addEventListener("snapshot", (e) => {
        failures = 0;
        setAttempt(0);
        const snap = migrationView.parse(data(e));
        dispatch({ type: "snapshot", view: snap });
        if (isSettled(snap)) {
          source.close();
          setConnection("ended");
        } else setConnection("live");
      });
      source.addEventListener("sample", (e) => {
        const u = update(e, "sample");
        if (u) dispatch({ type: "sample", sample: u.sample, progressPct: u.progressPct, verdict: u.verdict });
      });
      source.addEventListener("event", (e) => {
        const u = update(e, "event");
        if (!u) return;
        dispatch({ type: "event", event: u.event });
        // The guest's health verdict ends a landing: one final snapshot, which closes the stream.
        if (GUEST_VERDICTS.includes(u.event.type)) reconnect(0);
      });
      source.addEventListener("state", (e) => {
        const u = update(e, "state");
        if (!u) return;
        dispatch({ type: "state", state: u.state, error: u.error ?? null });
        // The outcome (real downtime, totals, completed-job stats) is in the row, not in this
        // message: reconnect once for a final snapshot, which then closes the stream.
        if (isTerminalState(u.state)) reconnect(0);
      });
      // Postgres reconnected on the server: updates may be missing, so start over from a snapshot.
      source.addEventListener("gap", () => reconnect(0));
      // The session ended (signed out, disabled, password changed): back to the sign-in page.
      source.addEventListener("revoked", () => {
        stopped = true;
        source.close();
        window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
      });
      source.onerror = () => {
        // EventSource retries by itself only for some failures (not after a 401/404); one policy for all.
        const delay = BACKOFF_MS[Math.min(failures, BACKOFF_MS.length - 1)]!;
        failures++;
        setAttempt(failures);
        reconnect(delay * (0.75 + Math.random() * 0.5));
      };
    }

    connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      es?.close();
    };
  }, [id, startTerminal]);

  return { view, connection, attempt };
}
