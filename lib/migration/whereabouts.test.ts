import { describe, expect, it } from "vitest";
import { type HostReading, judgeWhereabouts, whereaboutsText } from "./whereabouts";

const run = (reason: string): HostReading => ({ kind: "state", state: "running", reason });
const paused = (reason: string): HostReading => ({ kind: "state", state: "paused", reason });
const off: HostReading = { kind: "state", state: "shutoff", reason: "migrated" };
const absent: HostReading = { kind: "absent" };
const down: HostReading = { kind: "unreachable", why: "libvirt: Failed to connect socket" };
const judge = (s: HostReading, d: HostReading) =>
  judgeWhereabouts({ name: "hv1", reading: s }, { name: "hv2", reading: d });

describe("where the guest is after its migration ended", () => {
  it("a failed pre-copy: back on the source, settled", () => {
    expect(judge(run("migration canceled"), absent)).toMatchObject({
      location: "source",
      host: "hv1",
      settled: true,
      detail: "hv1: running (migration canceled); hv2: not defined",
    });
  });
  it("a landing: on the destination, the source shut off (migrated) or gone", () => {
    expect(judge(off, run("migrated"))).toMatchObject({ location: "destination", host: "hv2", settled: true });
    expect(judge(absent, run("migrated"))).toMatchObject({ location: "destination", settled: true });
  });
  it("the source's libvirtd killed: unknown while it cannot be asked, then running on the source while the destination still holds a paused copy", () => {
    const w = judge(down, paused("migrating"));
    expect(w).toMatchObject({ location: "unknown", host: "hv1", settled: false });
    expect(whereaboutsText(w)).toBe("unknown: hv1 cannot be asked");
    expect(judge(run("migrated"), paused("migrating"))).toMatchObject({ location: "source", settled: false });
    expect(judge(run("migrated"), absent)).toMatchObject({ location: "source", settled: true });
  });
  it("a dead destination does not hide a guest that runs on the source", () => {
    expect(judge(run("booted"), { kind: "unreachable", why: "connection refused" })).toMatchObject({
      location: "source",
      settled: true,
    });
  });
  it("post-copy failed: paused on the destination; two running copies or none are never settled", () => {
    expect(judge(paused("post-copy failed"), paused("post-copy failed"))).toMatchObject({
      location: "paused",
      host: "hv2",
      settled: false,
    });
    expect(judge(run("booted"), run("migrated"))).toMatchObject({ location: "both", settled: false });
    expect(judge(off, absent)).toMatchObject({ location: "nowhere", settled: false });
  });
  it("a guest that crashed after landing: crashed on the destination, settled (not 'running nowhere', not 'paused')", () => {
    const panicked: HostReading = { kind: "state", state: "crashed", reason: "panicked" };
    expect(judge(absent, panicked)).toMatchObject({ location: "crashed", host: "hv2", settled: true });
    expect(whereaboutsText(judge(off, paused("crashed")))).toBe("crashed on hv2");
    expect(judge(off, { kind: "state", state: "shutoff", reason: "crashed" })).toMatchObject({
      location: "crashed",
      host: "hv2",
    });
  });
});
