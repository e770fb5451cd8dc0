// GO / NO-GO / uncertain before launch: the what-if engine run at both ends of the measurement's
// uncertainty. GO only when even the pessimistic end converges; NO-GO only when even the optimistic
// end does not; otherwise the honest answer is "uncertain". Pure.
import type { DirtyEstimate, DirtyInputs } from "./dirty-sampling";
import { effectiveBps, type WhatIfOutcome, type WhatIfState, whatIf } from "./what-if";

export type LaunchVerdict = "go" | "no-go" | "uncertain";

export function launchVerdict(
  s: WhatIfState,
  e: DirtyEstimate,
): { verdict: LaunchVerdict; outcome: WhatIfOutcome; pessimistic: WhatIfOutcome; optimistic: WhatIfOutcome } {
  const at = (d: DirtyInputs) => whatIf({ ...s, ...d }, { kind: "none" });
  const outcome = at(e);
  // A rate hidden by a hot set that fills within 1 s may well be above the link's: assume twice it.
  const hidden = e.rateHidden ? Math.max(e.pessimistic.dirtyRateBps, 2 * effectiveBps(s)) : e.pessimistic.dirtyRateBps;
  const pessimistic = at({ ...e.pessimistic, dirtyRateBps: hidden });
  const optimistic = at(e.optimistic);
  const verdict = pessimistic.converges ? "go" : optimistic.converges ? "uncertain" : "no-go";
  return { verdict, outcome, pessimistic, optimistic };
}
