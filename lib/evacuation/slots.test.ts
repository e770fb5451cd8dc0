import { describe, expect, it } from "vitest";
import { countActive, startable } from "./slots";

const mv = (id: string, src: string, dst: string) => ({ id, sourceHostId: src, destHostId: dst });

describe("startable", () => {
  it("fills outbound and inbound slots in plan order, counting migrations already in flight", () => {
    const active = countActive([mv("x", "s1", "d1")]);
    const pending = [
      mv("1", "s1", "d1"),
      mv("2", "s1", "d2"),
      mv("3", "s1", "d3"),
      mv("4", "s2", "d1"),
      mv("5", "s2", "d1"),
    ];
    // s1 has one slot left (2 − 1): move 1 takes it; d1 then holds 2 (x, 1) so 4 and 5 wait.
    expect(startable(pending, active, { maxOutbound: 2, maxInbound: 2 }).map((m) => m.id)).toEqual(["1"]);
  });

  it("passes over a blocked move so a later one between free hosts can start", () => {
    const pending = [mv("1", "s1", "d1"), mv("2", "s1", "d1"), mv("3", "s2", "d2")];
    expect(startable(pending, countActive([]), { maxOutbound: 2, maxInbound: 1 }).map((m) => m.id)).toEqual(["1", "3"]);
  });

  it("starts nothing when every slot is taken", () => {
    const active = countActive([mv("a", "s1", "d1"), mv("b", "s1", "d2")]);
    expect(startable([mv("1", "s1", "d3")], active, { maxOutbound: 2, maxInbound: 2 })).toEqual([]);
  });
});

describe("startable with the plan's order", () => {
  it("holds back what the gate refuses, and lets a move unblock the one queued behind it", () => {
    const started = new Set<string>();
    const gate = {
      ready: (m: { id: string }) => m.id !== "2" || started.has("1"),
      mark: (m: { id: string }) => void started.add(m.id),
    };
    const pending = [mv("1", "s1", "d1"), mv("2", "s1", "d2"), mv("3", "s2", "d3")];
    expect(startable(pending, countActive([]), { maxOutbound: 2, maxInbound: 2 }, gate).map((m) => m.id)).toEqual([
      "1",
      "2",
      "3",
    ]);
    started.clear();
    expect(
      startable(pending.slice(1), countActive([]), { maxOutbound: 2, maxInbound: 2 }, gate).map((m) => m.id),
    ).toEqual(["3"]);
  });
});
