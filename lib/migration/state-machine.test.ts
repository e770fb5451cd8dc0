import { describe, expect, it } from "vitest";
import {
  ACTIVE_STATES,
  actionAvailability,
  allowedActions,
  canTransition,
  isActive,
  isTerminal,
  TERMINAL_STATES,
} from "./state-machine";
import type { MigrationState } from "./types";

const ALL: MigrationState[] = [...ACTIVE_STATES, ...TERMINAL_STATES];
const plain = { autoConverge: false, postcopyArmed: false, guestPaused: false };

describe("transitions", () => {
  it("follows the happy path", () => {
    expect(canTransition("queued", "launching")).toBe(true);
    expect(canTransition("launching", "running")).toBe(true);
    expect(canTransition("running", "postcopy")).toBe(true);
    expect(canTransition("postcopy", "completed")).toBe(true);
    expect(canTransition("running", "completed")).toBe(true);
  });

  it("lets a 1 Hz poller skip a phase it never saw, but never go backwards", () => {
    expect(canTransition("launching", "completed")).toBe(true);
    expect(canTransition("running", "launching")).toBe(false);
    expect(canTransition("postcopy", "running")).toBe(false);
    expect(canTransition("queued", "running")).toBe(false);
    expect(canTransition("queued", "completed")).toBe(false);
  });

  it("ends any active state in failed, cancelled or lost", () => {
    for (const from of ACTIVE_STATES)
      for (const to of ["failed", "cancelled", "lost"] as const) expect(canTransition(from, to)).toBe(true);
  });

  it("has no way out of a terminal state and no self-transitions", () => {
    for (const from of TERMINAL_STATES) for (const to of ALL) expect(canTransition(from, to)).toBe(false);
    for (const s of ALL) expect(canTransition(s, s)).toBe(false);
  });

  it("classifies states", () => {
    expect(ALL.filter(isActive)).toEqual(["queued", "launching", "running", "postcopy"]);
    expect(ALL.filter(isTerminal)).toEqual(["completed", "failed", "cancelled", "lost"]);
  });
});

describe("operator actions", () => {
  it("offers the restart (not throttle-harder) when started without auto-converge", () => {
    const a = allowedActions("running", plain);
    expect(a).toContain("restart-with-auto-converge");
    expect(a).not.toContain("throttle-harder");
    const why = actionAvailability("running", plain).find((x) => x.action === "throttle-harder")!;
    expect(why.reason).toMatch(/refuses to enable it mid-migration/);
  });

  it("offers throttle-harder only when started with auto-converge", () => {
    const a = allowedActions("running", { ...plain, autoConverge: true });
    expect(a).toContain("throttle-harder");
    expect(a).not.toContain("restart-with-auto-converge");
  });

  it("allows switch-to-postcopy only when armed and running", () => {
    expect(allowedActions("running", plain)).not.toContain("switch-to-postcopy");
    expect(allowedActions("running", { ...plain, postcopyArmed: true })).toContain("switch-to-postcopy");
    expect(allowedActions("postcopy", { ...plain, postcopyArmed: true })).not.toContain("switch-to-postcopy");
    expect(allowedActions("launching", { ...plain, postcopyArmed: true })).not.toContain("switch-to-postcopy");
  });

  it("refuses abort in post-copy (QEMU refuses) but allows it before", () => {
    const pc = actionAvailability("postcopy", { ...plain, postcopyArmed: true });
    expect(pc.find((x) => x.action === "abort")).toMatchObject({
      allowed: false,
      reason: expect.stringMatching(/post-copy/),
    });
    expect(allowedActions("postcopy", { ...plain, postcopyArmed: true })).toEqual(["set-bandwidth"]);
    for (const s of ["queued", "launching", "running"] as const) expect(allowedActions(s, plain)).toContain("abort");
  });

  it("suspend-to-finish only in running pre-copy with the guest not yet paused", () => {
    expect(allowedActions("running", plain)).toContain("suspend-to-finish");
    const paused = actionAvailability("running", { ...plain, guestPaused: true, autoConverge: true });
    expect(paused.find((x) => x.action === "suspend-to-finish")!.allowed).toBe(false);
    expect(paused.find((x) => x.action === "throttle-harder")!.allowed).toBe(false);
    expect(paused.find((x) => x.action === "abort")!.allowed).toBe(true);
  });

  it("offers nothing once ended, and gives a reason for every refusal", () => {
    for (const s of TERMINAL_STATES) {
      expect(allowedActions(s, { autoConverge: true, postcopyArmed: true, guestPaused: false })).toEqual([]);
    }
    for (const s of ALL) for (const a of actionAvailability(s, plain)) expect(a.reason.length).toBeGreaterThan(10);
  });

  it("needs a job on the source before tuning it", () => {
    expect(allowedActions("queued", { autoConverge: true, postcopyArmed: true, guestPaused: false })).toEqual([
      "abort",
    ]);
  });
});
