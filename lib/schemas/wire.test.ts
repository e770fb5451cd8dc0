import { describe, expect, it } from "vitest";
import { liveUpdate, storedVerdict, toDomain } from "./wire";

const sample = {
  at: "2026-12-05T13:00:01.000Z",
  elapsedMs: 8354,
  processedBytes: 68146477,
  remainingBytes: 447524864,
  totalBytes: 537403392,
  dirtyRateBps: 0,
  transferRateBps: 8388608,
  iteration: 1,
  throttlePct: 0,
  expectedDowntimeMs: 0,
  postcopyRequests: 0,
};

describe("the wire shapes", () => {
  it("reads a stored verdict leniently: missing or mistyped figures become unknown, not a broken page", () => {
    expect(storedVerdict.parse({ verdict: "stalled", reason: "no pass shrank", etaMs: "soon", since: 12 })).toEqual({
      verdict: "stalled",
      reason: "no pass shrank",
      since: 12,
      etaMs: null,
      lambda: null,
      expectedDowntimeMs: null,
      passesSinceLow: 0,
      throttleRamping: false,
    });
  });

  it("a verdict that is not one of the five, or no object at all, is no verdict", () => {
    expect(storedVerdict.parse({ verdict: "fine", reason: "" })).toBeNull();
    expect(storedVerdict.parse("converging")).toBeNull();
    expect(storedVerdict.parse(null)).toBeNull();
  });

  it("a sample update carries the typed verdict; one with a sample that is not a measurement is refused", () => {
    const verdict = storedVerdict.parse({ verdict: "converging", reason: "shrinking", etaMs: 4000 });
    const u = { kind: "sample", migrationId: "m1", sample, progressPct: 12.5, verdict };
    expect(liveUpdate.parse(u)).toEqual(u);
    expect(liveUpdate.safeParse({ ...u, sample: { ...sample, at: "1 s ago" } }).success).toBe(false);
    expect(liveUpdate.safeParse({ ...u, sample: { ...sample, totalBytes: "512M" } }).success).toBe(false);
  });

  it("toDomain turns the wire sample's time into the domain's epoch ms and keeps every figure", () => {
    const { at, ...figures } = sample;
    expect(toDomain(sample)).toEqual({ atMs: Date.parse(at), ...figures });
  });
});
