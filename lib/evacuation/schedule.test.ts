import { describe, expect, it } from "vitest";
import { fleetSignature, launchesEnded, replanReasons, startDecision } from "./schedule";

const at = (min: number) => new Date(Date.UTC(2026, 11, 5, 2, min));
const armed = { state: "planned", armedAt: at(0), startsAt: at(30), endsAt: at(90), launchEndedAt: null };

describe("scheduled start decision (clock injected)", () => {
  it("waits before the start time, starts at it, expires an unstarted window at its end", () => {
    expect(startDecision(armed, at(29))).toEqual({ do: "wait" });
    expect(startDecision(armed, at(30))).toEqual({ do: "start" });
    expect(startDecision(armed, at(89))).toEqual({ do: "start" });
    expect(startDecision(armed, at(90)).do).toBe("expire");
  });
  it("never starts a window that is not armed or not planned", () => {
    expect(startDecision({ ...armed, armedAt: null }, at(30))).toEqual({ do: "wait" });
    expect(startDecision({ ...armed, state: "running" }, at(30))).toEqual({ do: "wait" });
  });
  it("stops launches once, at the end, for armed running or paused windows only", () => {
    const running = { ...armed, state: "running" };
    expect(launchesEnded(running, at(89))).toBe(false);
    expect(launchesEnded(running, at(90))).toBe(true);
    expect(launchesEnded({ ...running, state: "paused" }, at(91))).toBe(true);
    expect(launchesEnded({ ...running, launchEndedAt: at(90) }, at(91))).toBe(false);
    expect(launchesEnded({ ...running, armedAt: null }, at(91))).toBe(false);
  });
});

describe("re-plan before a scheduled start", () => {
  const hosts = [{ id: "h1", status: "active", reachable: true, cpuModel: "X", cores: 8, libvirtVersion: "9.0.0" }];
  const vms = [{ uuid: "u1", hostId: "h1", state: "running", vcpus: 2, memoryBytes: 1024n }];
  const sig = fleetSignature(hosts, vms);
  it("keeps a fresh plan of an unchanged fleet", () => {
    expect(replanReasons({ plannedAt: at(0).toISOString(), fleetSignature: sig }, sig, at(30), 3_600_000)).toEqual([]);
  });
  it("re-plans a plan older than the limit", () => {
    expect(replanReasons({ plannedAt: at(0).toISOString(), fleetSignature: sig }, sig, at(30), 10 * 60_000)).toEqual([
      "the plan is 30 min old (re-planned after 10 min)",
    ]);
  });
  it("re-plans when a VM or host the plan read changed, whatever the order", () => {
    expect(fleetSignature([...hosts].reverse(), [...vms].reverse())).toBe(sig);
    expect(fleetSignature(hosts, [{ ...vms[0], state: "paused" } as (typeof vms)[number]])).not.toBe(sig);
    expect(fleetSignature([{ ...hosts[0], status: "maintenance" } as (typeof hosts)[number]], vms)).not.toBe(sig);
    expect(replanReasons({ plannedAt: at(0).toISOString(), fleetSignature: "old" }, sig, at(1), 3_600_000)).toEqual([
      "the fleet changed since planning (hosts or VMs differ)",
    ]);
    expect(replanReasons({ plannedAt: at(0).toISOString() }, sig, at(1), 3_600_000)).toHaveLength(1);
  });
});
