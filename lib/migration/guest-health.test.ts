import { describe, expect, it } from "vitest";
import { earlyVerdict, type GuestProbe, judgeGuest, settleWallMs } from "./guest-health";

const probe = (over: Partial<GuestProbe> = {}): GuestProbe => ({
  at: 0,
  state: "running",
  reason: "migrated",
  cpuTimeNs: 1e9,
  agent: null,
  tcp: null,
  ...over,
});

describe("judgeGuest", () => {
  it("a running guest whose vCPUs kept running is healthy", () => {
    expect(judgeGuest(probe(), probe({ at: 20_000, cpuTimeNs: 1.4e9 }))).toEqual({
      health: "healthy",
      reason: "Running; vCPU time +400 ms in 20 s.",
    });
  });

  it("running with frozen vCPU time is a hung guest", () => {
    const v = judgeGuest(probe(), probe({ at: 20_000 }));
    expect(v).toEqual({ health: "unhealthy", reason: "its vCPUs used no time in 20 s (hung guest)" });
  });

  it("crashed, paused or gone is unhealthy at once, whatever the CPU time says", () => {
    expect(earlyVerdict(probe({ state: "crashed", reason: "panicked" }))).toEqual({
      health: "unhealthy",
      reason: "The guest is crashed (panicked) on the destination.",
    });
    expect(
      judgeGuest(probe(), probe({ at: 20_000, state: "paused", reason: "I/O error", cpuTimeNs: 3e9 })).reason,
    ).toBe("The guest is paused (I/O error) on the destination.");
    expect(earlyVerdict(probe({ state: "absent", reason: "failed to get domain 'vm1'" }))?.reason).toBe(
      "The guest is not on the destination (failed to get domain 'vm1').",
    );
    expect(earlyVerdict(probe())).toBeNull();
  });

  it("with a guest agent channel, guest-ping decides (a spinning kernel still uses CPU time)", () => {
    const bad = judgeGuest(
      probe(),
      probe({
        at: 20_000,
        cpuTimeNs: 9e9,
        agent: { ok: false, error: "Guest agent is not responding: QEMU guest agent is not connected" },
      }),
    );
    expect(bad).toEqual({
      health: "unhealthy",
      reason:
        "the guest agent did not answer guest-ping: Guest agent is not responding: QEMU guest agent is not connected",
    });
    expect(judgeGuest(probe(), probe({ at: 20_000, agent: { ok: true } })).health).toBe("healthy");
  });

  it("the admin's TCP check must answer too", () => {
    const v = judgeGuest(
      probe(),
      probe({ at: 20_000, cpuTimeNs: 2e9, tcp: { ok: false, error: "ECONNREFUSED", target: "10.0.0.5:443" } }),
    );
    expect(v).toEqual({ health: "unhealthy", reason: "TCP 10.0.0.5:443: ECONNREFUSED" });
    expect(
      judgeGuest(probe(), probe({ at: 20_000, cpuTimeNs: 2e9, tcp: { ok: true, target: "10.0.0.5:443" } })).reason,
    ).toBe("Running; vCPU time +1000 ms in 20 s, TCP 10.0.0.5:443 answered.");
  });

  it("the settle time follows the simulator's clock", () => {
    expect(settleWallMs(20_000)).toBe(20_000);
    expect(settleWallMs(20_000, 20)).toBe(1_000);
    expect(settleWallMs(20_000, 1000)).toBe(200);
  });
});
