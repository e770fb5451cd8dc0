import { describe, expect, it } from "vitest";
import { shareBandwidth } from "./bandwidth";

const G = 1e9 / 8; // 1 Gb/s in bytes/s
const INF = Number.POSITIVE_INFINITY;

describe("shareBandwidth (max-min fair over egress and ingress)", () => {
  it("two flows out of one 10G NIC get 5G each", () => {
    const r = shareBandwidth(
      [
        { id: "a", src: "hv1", dst: "hv2", demandBps: INF },
        { id: "b", src: "hv1", dst: "hv3", demandBps: INF },
      ],
      { hv1: 10 * G, hv2: 10 * G, hv3: 10 * G },
    );
    expect(r.get("a")).toBeCloseTo(5 * G, 3);
    expect(r.get("b")).toBeCloseTo(5 * G, 3);
  });

  it("a flow capped at 2G lets the other take 8G", () => {
    const r = shareBandwidth(
      [
        { id: "a", src: "hv1", dst: "hv2", demandBps: 2 * G },
        { id: "b", src: "hv1", dst: "hv3", demandBps: INF },
      ],
      { hv1: 10 * G, hv2: 10 * G, hv3: 10 * G },
    );
    expect(r.get("a")).toBeCloseTo(2 * G, 3);
    expect(r.get("b")).toBeCloseTo(8 * G, 3);
  });

  it("a destination ingress bottleneck frees source capacity for the other flow", () => {
    // hv2 has a 1G NIC: flows a and c into it share 1G; b takes what is left of hv1's 10G.
    const flows = [
      { id: "a", src: "hv1", dst: "hv2", demandBps: INF },
      { id: "b", src: "hv1", dst: "hv3", demandBps: INF },
      { id: "c", src: "hv4", dst: "hv2", demandBps: INF },
    ];
    const r = shareBandwidth(flows, { hv1: 10 * G, hv2: 1 * G, hv3: 10 * G, hv4: 10 * G });
    expect(r.get("a")).toBeCloseTo(0.5 * G, 3);
    expect(r.get("c")).toBeCloseTo(0.5 * G, 3);
    expect(r.get("b")).toBeCloseTo(9.5 * G, 3);
  });

  it("re-sharing after a flow ends gives its share to the others", () => {
    const nics = { hv1: 10 * G, hv2: 10 * G, hv3: 10 * G };
    const flows = [
      { id: "a", src: "hv1", dst: "hv2", demandBps: INF },
      { id: "b", src: "hv1", dst: "hv3", demandBps: INF },
      { id: "c", src: "hv1", dst: "hv3", demandBps: INF },
    ];
    expect(shareBandwidth(flows, nics).get("a")).toBeCloseTo((10 / 3) * G, 3);
    const after = shareBandwidth(
      flows.filter((f) => f.id !== "b"),
      nics,
    );
    expect(after.get("a")).toBeCloseTo(5 * G, 3);
    expect(after.get("c")).toBeCloseTo(5 * G, 3);
  });

  it("applies a per-stream cap, and leaves unbounded flows at Infinity", () => {
    const flows = [
      { id: "a", src: "hv1", dst: "hv2", demandBps: INF },
      { id: "b", src: "hv1", dst: "hv3", demandBps: INF },
    ];
    const capped = shareBandwidth(flows, { hv1: 25 * G }, 3 * G);
    expect(capped.get("a")).toBeCloseTo(3 * G, 3);
    expect(capped.get("b")).toBeCloseTo(3 * G, 3);
    expect(shareBandwidth(flows, {}).get("a")).toBe(INF);
  });

  it("gives zero to zero-demand flows and never exceeds any NIC", () => {
    const flows = [
      { id: "a", src: "hv1", dst: "hv2", demandBps: 0 },
      { id: "b", src: "hv2", dst: "hv1", demandBps: 3 * G },
      { id: "c", src: "hv1", dst: "hv2", demandBps: 7 * G },
      { id: "d", src: "hv3", dst: "hv2", demandBps: INF },
    ];
    const nics: Record<string, number> = { hv1: 10 * G, hv2: 10 * G, hv3: 10 * G };
    const r = shareBandwidth(flows, nics);
    expect(r.get("a")).toBe(0);
    expect(r.get("b")).toBeCloseTo(3 * G, 3); // hv2 egress / hv1 ingress are separate directions
    const intoHv2 = (r.get("c") ?? 0) + (r.get("d") ?? 0);
    expect(intoHv2).toBeLessThanOrEqual(10 * G * (1 + 1e-9));
    expect(r.get("c")).toBeCloseTo(5 * G, 3);
    expect(r.get("d")).toBeCloseTo(5 * G, 3);
  });
});
