import { describe, expect, it } from "vitest";
import type { MigrationEventView, MigrationView } from "@/lib/schemas/wire";
import { isSettled, reduceView } from "./use-migration-stream";

const ev = (type: string, data: MigrationEventView["data"] = null): MigrationEventView => ({
  id: type,
  at: "2026-12-04T21:21:24.000Z",
  source: "system",
  type,
  message: type,
  data,
});

describe("isSettled: when the live page stops listening", () => {
  it("keeps listening while the migration runs, stops once it completed, failed or was aborted", () => {
    expect(isSettled({ state: "running", events: [] })).toBe(false);
    for (const state of ["completed", "failed", "lost", "cancelled"] as const)
      expect(isSettled({ state, events: [ev("launched")] })).toBe(true);
  });

  it("a run cancelled by 'restart with auto-converge' is settled only once the 'restarted' event names the new attempt", () => {
    // The lab caught it: the final snapshot was read between the cancel and the relaunch's commit,
    // the stream closed, and the operator's page never followed the new attempt.
    const cancelled = [
      ev("launched"),
      ev("restart-with-auto-converge-requested"),
      ev("restart-with-auto-converge"),
      ev("cancelled"),
    ];
    expect(isSettled({ state: "cancelled", events: cancelled })).toBe(false);
    expect(isSettled({ state: "cancelled", events: [...cancelled, ev("restarted", { next: "b" })] })).toBe(true);
    // A restart that failed instead of being cancelled is final as it is: the worker relaunches only cancelled runs.
    expect(isSettled({ state: "failed", events: cancelled })).toBe(true);
  });

  it("a landing is settled once its guest's health verdict is in (watched for a settle time after landing)", () => {
    const landed = [ev("launched"), ev("completed")];
    const justNow = new Date().toISOString();
    expect(isSettled({ state: "completed", events: landed, guestHealth: "checking", endedAt: justNow })).toBe(false);
    expect(isSettled({ state: "completed", events: landed, guestHealth: null, endedAt: justNow })).toBe(false); // no worker claimed it yet
    expect(
      isSettled({ state: "completed", events: landed, guestHealth: null, endedAt: "2026-12-04T21:21:24.000Z" }),
    ).toBe(true); // history: never checked
    for (const h of ["healthy", "unhealthy", "unknown"])
      expect(isSettled({ state: "completed", events: landed, guestHealth: h, endedAt: justNow })).toBe(true);
  });
});

describe("reduceView: settings follow what the host read back", () => {
  const view = {
    id: "m",
    state: "running",
    options: { bandwidthMiB: 16, maxDowntimeMs: 300 },
    events: [],
    samples: [],
    progressPct: 0,
  } as unknown as MigrationView;

  it("a bandwidth or max-downtime event's read-back value replaces the launch option at once", () => {
    // Found live: after "Set bandwidth" to 48 MiB/s the header and the control said 16 until the end.
    const v1 = reduceView(view, { type: "event", event: { ...ev("set-bandwidth", { bandwidthMiB: 48 }), id: "1" } });
    expect(v1.options).toMatchObject({ bandwidthMiB: 48, maxDowntimeMs: 300 });
    const v2 = reduceView(v1, {
      type: "event",
      event: { ...ev("set-max-downtime", { maxDowntimeMs: 1000 }), id: "2" },
    });
    expect(v2.options).toMatchObject({ bandwidthMiB: 48, maxDowntimeMs: 1000 });
    // libvirt's "no limit" reads back as null: the cap is gone.
    expect(
      reduceView(v2, { type: "event", event: { ...ev("set-bandwidth", { bandwidthMiB: null }), id: "3" } }).options
        .bandwidthMiB,
    ).toBeUndefined();
  });

  it("a requested or failed change leaves the setting as it is", () => {
    const v = reduceView(view, { type: "event", event: { ...ev("set-bandwidth-failed"), id: "1" } });
    expect(v.options).toMatchObject({ bandwidthMiB: 16 });
  });
});
