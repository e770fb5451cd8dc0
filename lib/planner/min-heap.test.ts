import { describe, expect, it } from "vitest";
import { rng } from "@/tests/support/evacuation-kit";
import { MinHeap } from "./min-heap";

describe("MinHeap", () => {
  it("pops in key order whatever the push order (500 random keys, with ties)", () => {
    const r = rng(3);
    const h = new MinHeap<number>();
    const keys = Array.from({ length: 500 }, () => r.int(0, 100));
    for (const [i, k] of keys.entries()) h.push(k, i);
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop()?.key as number);
    expect(out).toEqual([...keys].sort((a, b) => a - b));
    expect(h.pop()).toBeUndefined();
  });
});
