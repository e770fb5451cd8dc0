import { describe, expect, it } from "vitest";
import { plannedStrategies } from "./window-state";

describe("plannedStrategies (issue 17)", () => {
  it("lists what the plan was allowed, least disruptive first; older plans knew only auto-converge", () => {
    expect(
      plannedStrategies({ autoConvergeWhenNeeded: true, strategies: { postCopy: true, suspendAtEnd: true } }),
    ).toEqual(["pre-copy", "auto-converge", "suspend at end", "post-copy"]);
    expect(plannedStrategies({ autoConvergeWhenNeeded: true })).toEqual(["pre-copy", "auto-converge"]);
    expect(
      plannedStrategies({ autoConvergeWhenNeeded: false, strategies: { postCopy: false, suspendAtEnd: false } }),
    ).toEqual(["pre-copy"]);
  });
});
