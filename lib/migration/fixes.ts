// The fixes worth offering, from the what-if engine: every candidate action is predicted; one that is
// not predicted to help is listed apart ("won't help: …"), never offered as a fix. Least disruptive
// first. The same list serves the pre-launch panel and the live verdict. Pure.
import { defaultTimeBudgetMs } from "./predict";
import { duration, rate } from "./text";
import { QEMU_AUTO_CONVERGE } from "./types";
import {
  atPessimisticEnd,
  effectiveBps,
  type WhatIfAction,
  type WhatIfOutcome,
  type WhatIfState,
  whatIf,
} from "./what-if";

export type FixKind = Exclude<WhatIfAction["kind"], "none">;

export type Fix = {
  kind: FixKind;
  action: WhatIfAction;
  outcome: WhatIfOutcome;
  /** Pauses, slows or risks the guest, or throws work away: the UI asks for confirmation. */
  disruptive: boolean;
  reason: string;
};

export type FixContext = {
  /** Live (the job runs) or before launch. */
  live: boolean;
  postcopyArmed: boolean;
  /** Fixes already applied to this migration that did not help: never offered again. */
  didNotHelp?: ReadonlySet<FixKind>;
  /** Longest acceptable migration; default 150 s per GiB of RAM (KubeVirt), at least 2 GiB's worth. */
  timeBudgetMs?: number;
};

export type FixList = { base: WhatIfOutcome; offered: Fix[]; wontHelp: Fix[] };

/** Above this a max downtime is no longer a "pause the guest barely notices": suspend is the honest name. */
const MAX_DOWNTIME_FIX_MS = 10_000;
/** A fix must save at least this share of the predicted time to count as help when it converges anyway. */
const MIN_GAIN = 0.2;

function smallestDowntime(s: WhatIfState, ok: (o: WhatIfOutcome) => boolean): number | null {
  if (!ok(whatIf(s, { kind: "set-max-downtime", ms: MAX_DOWNTIME_FIX_MS }))) return null;
  let lo = Math.max(1, s.maxDowntimeMs);
  let hi = MAX_DOWNTIME_FIX_MS;
  while (hi - lo > 10) {
    const mid = (lo + hi) / 2;
    if (ok(whatIf(s, { kind: "set-max-downtime", ms: mid }))) hi = mid;
    else lo = mid;
  }
  return Math.ceil(hi / 10) * 10;
}

function candidates(
  s: WhatIfState,
  ctx: FixContext,
  ok: (o: WhatIfOutcome) => boolean,
): { action: WhatIfAction; disruptive: boolean; note?: string }[] {
  const out: { action: WhatIfAction; disruptive: boolean; note?: string }[] = [];
  const ms = smallestDowntime(s, ok);
  out.push(
    ms === null
      ? {
          action: { kind: "set-max-downtime", ms: MAX_DOWNTIME_FIX_MS },
          disruptive: false,
          note: `even ${duration(MAX_DOWNTIME_FIX_MS)} of downtime is not enough`,
        }
      : { action: { kind: "set-max-downtime", ms }, disruptive: false },
  );
  const B = effectiveBps(s);
  const more = s.pathBps > B * 1.05;
  out.push({
    action: { kind: "set-bandwidth", bps: s.pathBps },
    disruptive: false,
    ...(more ? {} : { note: `the path was measured carrying ${rate(s.pathBps)} and the job already gets ${rate(B)}` }),
  });
  if (s.autoConverge && s.throttlePct < 99) {
    out.push({
      action: { kind: "throttle-harder", initial: Math.min(99, Math.max(s.throttlePct + 20, 50)), increment: 20 },
      disruptive: true,
    });
  }
  if (!s.autoConverge)
    out.push({ action: { kind: "restart-with-auto-converge", params: QEMU_AUTO_CONVERGE }, disruptive: true });
  out.push({ action: { kind: "suspend-to-finish" }, disruptive: true });
  if (ctx.postcopyArmed || !ctx.live) out.push({ action: { kind: "switch-to-postcopy" }, disruptive: true });
  return out;
}

export function rankFixes(measured: WhatIfState, ctx: FixContext): FixList {
  // A fix is offered, and its outcome shown, only as it holds at the pessimistic end.
  const s = atPessimisticEnd(measured);
  const budget = ctx.timeBudgetMs ?? defaultTimeBudgetMs(s.memoryBytes + s.zeroBytes);
  const fits = (o: WhatIfOutcome) => o.converges && (o.totalTimeMs ?? Number.POSITIVE_INFINITY) <= budget;
  const base = whatIf(s, { kind: "none" });
  const baseMs = fits(base) ? (base.totalTimeMs ?? 0) : Number.POSITIVE_INFINITY;
  const helps = (o: WhatIfOutcome) => fits(o) && (o.totalTimeMs ?? 0) < baseMs * (1 - MIN_GAIN);
  const offered: Fix[] = [];
  const wontHelp: Fix[] = [];
  for (const c of candidates(s, ctx, helps)) {
    const outcome = whatIf(s, c.action);
    const fix = { kind: c.action.kind as FixKind, action: c.action, outcome, disruptive: c.disruptive };
    if (ctx.didNotHelp?.has(fix.kind))
      wontHelp.push({ ...fix, reason: "applied to this migration already and did not help" });
    else if (c.note) wontHelp.push({ ...fix, reason: c.note });
    else if (!helps(outcome))
      wontHelp.push({
        ...fix,
        reason: outcome.converges
          ? `predicted ${duration(outcome.totalTimeMs ?? 0)}, not within ${duration(budget)} or not faster`
          : outcome.reason,
      });
    else offered.push({ ...fix, reason: outcome.reason });
  }
  // Non-disruptive fixes first, otherwise the order above (least disruptive first).
  offered.sort((a, b) => Number(a.disruptive) - Number(b.disruptive));
  return { base, offered, wontHelp };
}

/** "done in 12.0 s, downtime 280 ms" — the predicted outcome as a button's text shows it. */
export function outcomeText(o: WhatIfOutcome): string {
  if (!o.converges || o.totalTimeMs === null) return "does not converge";
  const slowed =
    o.slowdownPct >= 100 ? ", guest paused" : o.slowdownPct > 0 ? `, guest throttled ${o.slowdownPct} %` : "";
  return `done in ≈ ${duration(o.totalTimeMs)}, downtime ≈ ${duration(o.downtimeMs ?? 0)}${slowed}`;
}
