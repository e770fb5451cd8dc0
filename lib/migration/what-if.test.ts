import { describe, expect, it } from "vitest";
import { MIB, QEMU_AUTO_CONVERGE } from "./types";
import { type WhatIfState, whatIf } from "./what-if";

const idle: WhatIfState = {
  memoryBytes: 80 * MIB,
  zeroBytes: 176 * MIB,
  pendingBytes: null,
  dirtyRateBps: 0,
  workingSetBytes: 0,
  pathBps: 64 * MIB,
  capBps: null,
  maxDowntimeMs: 300,
  autoConverge: null,
  throttlePct: 0,
};

describe("whatIf: the job's own cost beyond its transfer", () => {
  it("a job that starts (before launch, or a restart) pays it; one already running does not", () => {
    const without = whatIf(idle, { kind: "none" }).totalTimeMs!;
    const withIt = whatIf({ ...idle, jobOverheadMs: 3000 }, { kind: "none" }).totalTimeMs!;
    expect(withIt - without).toBeCloseTo(3000, 6);

    const live = { ...idle, pendingBytes: 40 * MIB, passSentBytes: 0, jobOverheadMs: 3000 };
    expect(whatIf(live, { kind: "none" }).totalTimeMs).toBeCloseTo(
      whatIf({ ...live, jobOverheadMs: 0 }, { kind: "none" }).totalTimeMs!,
      6,
    );
    const restart = { kind: "restart-with-auto-converge", params: QEMU_AUTO_CONVERGE } as const;
    expect(
      whatIf(live, restart).totalTimeMs! - whatIf({ ...live, jobOverheadMs: 0 }, restart).totalTimeMs!,
    ).toBeCloseTo(3000, 6);
  });

  it("adds nothing to a job that never ends", () => {
    const hot = { ...idle, dirtyRateBps: 200 * MIB, workingSetBytes: 64 * MIB, capBps: 8 * MIB, jobOverheadMs: 3000 };
    expect(whatIf(hot, { kind: "none" }).totalTimeMs).toBeNull();
  });
});
