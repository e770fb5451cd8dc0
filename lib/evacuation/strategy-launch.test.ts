// Issue 17: what a window's policy lets the planner use, how a stored plan records each move's
// strategy (plans stored before still parse), and how the drain launches a planned post-copy or
// suspend-at-end move: virsh migrate --postcopy --timeout N --timeout-postcopy / --timeout-suspend.
import { describe, expect, it } from "vitest";
import { BUILT_IN_POLICIES } from "@/lib/migration/escalation";
import { storedLaunchOptions } from "@/lib/schemas/migrations";
import { storedPlan } from "@/lib/schemas/wire-window";
import { optionsFor, type WindowRow } from "./drain-decide";
import { strategiesFromPolicy } from "./planner-input";
import type { StoredPlan } from "./types";

const policy = (name: string) => BUILT_IN_POLICIES.find((p) => p.name === name) ?? null;

describe("strategiesFromPolicy", () => {
  it("allows post-copy only with a switch-to-postcopy step and suspend-at-end only with a suspend-to-finish step", () => {
    expect(strategiesFromPolicy(policy("aggressive"))).toEqual({
      autoConvergeWhenNeeded: true,
      strategies: { postCopy: true, suspendAtEnd: true },
    });
    expect(strategiesFromPolicy(policy("default")).strategies).toEqual({ postCopy: false, suspendAtEnd: true });
    expect(strategiesFromPolicy(policy("conservative")).strategies).toEqual({ postCopy: false, suspendAtEnd: false });
    expect(strategiesFromPolicy(null)).toEqual({
      autoConvergeWhenNeeded: false,
      strategies: { postCopy: false, suspendAtEnd: false },
    });
    expect(strategiesFromPolicy({ steps: "garbage" }).strategies).toEqual({ postCopy: false, suspendAtEnd: false });
  });
});

const move = (over: Record<string, unknown>) => ({
  vmId: "v",
  vmName: "hot",
  sourceHostId: "s",
  destHostId: "d",
  startMs: 0,
  endMs: 90_000,
  bandwidthBps: 117_500_000,
  autoConverge: false,
  lambda: 140,
  order: 0,
  ...over,
});
const plan = (moves: Record<string, unknown>[]) => ({
  moves,
  unplaced: [],
  flagged: [],
  makespanMs: 90_000,
  lowerBoundMs: 80_000,
  ratioToLowerBound: 1.1,
  plannedAt: new Date(0).toISOString(),
  rates: [],
  notMoved: [],
  notes: [],
  hostNames: {},
  settings: { maxOutbound: 2, maxInbound: 2, maxDowntimeMs: 300, autoConvergeWhenNeeded: true, policyName: null },
});

describe("the stored plan's strategy", () => {
  it("parses plans stored before strategies existed: auto-converge or plain from the old flag", () => {
    const old = storedPlan.parse(plan([move({ autoConverge: true }), move({ vmName: "b" })]));
    expect(old.moves.map((m) => m.strategy)).toEqual(["auto-converge", "plain"]);
    const now = storedPlan.parse(plan([move({ strategy: "post-copy", switchAfterMs: 73_100 })]));
    expect(now.moves[0]).toMatchObject({ strategy: "post-copy", switchAfterMs: 73_100 });
    expect(storedPlan.safeParse(plan([move({ strategy: "teleport" })])).success).toBe(false);
  });
});

describe("optionsFor: the drain launches the planned strategy", () => {
  const window = (p: StoredPlan): WindowRow => ({
    id: "w",
    downtimeBudgetMs: 300,
    excludedHostIds: [],
    antiAffinity: {},
    plan: p,
    name: "w",
    state: "running",
    maxOutbound: 2,
    maxInbound: 2,
    policyName: "aggressive",
    launchEndedAt: null,
  });
  const pending = (failedDestIds: string[] = []) => ({
    id: "m",
    vmUuid: "u",
    vmName: "hot",
    sourceHostId: "s",
    destHostId: "d",
    order: 0,
    attempts: 0,
    failedDestIds,
    autoConverge: false,
  });
  const launch = (strategy: string, failed: string[] = []) =>
    storedLaunchOptions(
      optionsFor(window(storedPlan.parse(plan([move({ strategy, switchAfterMs: 73_100 })]))), pending(failed), []),
    );

  it("post-copy: armed, and switched by virsh's timer after the first pass (plus 1 s of setup)", () => {
    expect(launch("post-copy")).toMatchObject({
      postcopy: true,
      timeout: { seconds: 75, action: "postcopy" },
      autoConverge: { enabled: false },
      maxDowntimeMs: 300,
    });
  });

  it("suspend-at-end: pauses the guest after the first pass; nothing for plain, nor for a retry elsewhere", () => {
    expect(launch("suspend-at-end")).toMatchObject({ postcopy: false, timeout: { seconds: 75, action: "suspend" } });
    expect(launch("plain").timeout).toBeUndefined();
    expect(launch("plain").postcopy).toBe(false);
    expect(launch("post-copy", ["d0"]).timeout).toBeUndefined();
  });
});
