// The verdict card's advice: fixes worth trying now, those that would not help, and whether the
// fixes already applied did what they promised (a failed one is not suggested again).
import { type AppliedEvent, checkAppliedFixes, failedFixes } from "@/lib/migration/fix-check";
import { type LiveContext, liveWhatIfState } from "@/lib/migration/live-state";
import { recommendFix } from "@/lib/migration/fix-advice";
import { type MigrationSample, QEMU_AUTO_CONVERGE } from "@/lib/migration/types";
import type { MigrationView } from "@/lib/schemas/wire";

export function liveFixAdvice(
  assessment: MigrationView["verdict"],
  options: MigrationView["options"],
  domainSamples: MigrationSample[],
  events: MigrationView["events"],
  learnedPathBps: MigrationView["learnedPathBps"],
) {
  if (!assessment) return { fixes: [], wontHelp: [], checks: [] };
  const ctx: LiveContext = {
    capBps: options.bandwidthMiB ? options.bandwidthMiB * 1024 ** 2 : null,
    maxDowntimeMs: options.maxDowntimeMs,
    autoConverge: options.autoConverge.enabled
      ? { ...QEMU_AUTO_CONVERGE, initial: options.autoConverge.initial, increment: options.autoConverge.increment }
      : null,
    learnedPathBps,
  };
  const applied = events.map((e) => ({
    atMs: Date.parse(e.at),
    type: e.type,
    params: (e.data ?? {}) as AppliedEvent["params"],
  }));
  const checks = checkAppliedFixes(domainSamples, applied, (before) => liveWhatIfState(before, ctx));
  const state = liveWhatIfState(domainSamples, ctx);
  const r = recommendFix(assessment, {
    autoConverge: options.autoConverge.enabled,
    postcopyArmed: options.postcopy,
    state,
    didNotHelp: failedFixes(checks),
  });
  return { ...r, checks };
}
