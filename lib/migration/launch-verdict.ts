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
  const hidden = (d: DirtyInputs) => ({ ...d, dirtyRateBps: Math.max(d.dirtyRateBps, 2 * effectiveBps(s)) });
  const ends = [
    e.rateHidden ? hidden(e.pessimistic) : e.pessimistic,
    ...(e.mayHaveFilled ? [hidden(e.mayHaveFilled)] : []),
  ];
  const pessimistic = ends.map(at).reduce(worse);
  const optimistic = at(e.optimistic);
  const verdict = pessimistic.converges ? "go" : optimistic.converges ? "uncertain" : "no-go";
  return { verdict, outcome, pessimistic, optimistic };
}

/** The outcome that does not converge, or else the longer one. */
function worse(a: WhatIfOutcome, b: WhatIfOutcome): WhatIfOutcome {
  if (a.converges !== b.converges) return a.converges ? b : a;
  return (b.totalTimeMs ?? Number.POSITIVE_INFINITY) > (a.totalTimeMs ?? Number.POSITIVE_INFINITY) ? b : a;
}
