"use client";

// The values typed into the controls that take one (downtime, bandwidth, throttle), checked in the
// browser with the action's own field schemas before the control is requested.
import { useEffect, useState } from "react";
import { CONTROL_PARAMS, type OperatorAction } from "@/lib/migration/operator-actions";
import type { LaunchOptions } from "@/lib/schemas/migrations";
import type { ControlParams } from "./use-migration-controls";

export function useControlDrafts(options: LaunchOptions, request: (a: OperatorAction, p?: ControlParams) => void) {
  const [ms, setMs] = useState(String(options.maxDowntimeMs));
  const [mib, setMib] = useState(options.bandwidthMiB ? String(options.bandwidthMiB) : "");
  // The inputs start from the values in force, and follow them when the host reads back a change.
  useEffect(() => setMs(String(options.maxDowntimeMs)), [options.maxDowntimeMs]);
  useEffect(() => setMib(options.bandwidthMiB ? String(options.bandwidthMiB) : ""), [options.bandwidthMiB]);
  const [throttle, setThrottle] = useState<ControlParams>({
    initial: Math.min(99, Math.max(options.autoConverge.initial + 20, 50)),
    increment: Math.min(99, Math.max(options.autoConverge.increment, 20)),
  });
  const [errors, setErrors] = useState<Partial<Record<OperatorAction, string>>>({});

  const submit = (action: OperatorAction, check: () => string | null, params: ControlParams) => {
    const problem = check();
    setErrors((e) => ({ ...e, [action]: problem ?? undefined }));
    if (!problem) request(action, params);
  };
  const submitDowntime = () =>
    submit("set-max-downtime", () => issue(CONTROL_PARAMS["set-max-downtime"].ms, ms), { ms: Number(ms) });
  const submitBandwidth = () =>
    submit("set-bandwidth", () => issue(CONTROL_PARAMS["set-bandwidth"].mib, mib), { mib: Number(mib) });
  const submitThrottle = () =>
    submit(
      "throttle-harder",
      () =>
        issue(CONTROL_PARAMS["throttle-harder"].initial, throttle.initial) ??
        issue(CONTROL_PARAMS["throttle-harder"].increment, throttle.increment),
      throttle,
    );

  return { ms, setMs, mib, setMib, throttle, setThrottle, errors, submitDowntime, submitBandwidth, submitThrottle };
}

/** The first message of a zod check on one field, or null when the value is fine. */
function issue(
  schema: { safeParse: (v: unknown) => { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
): string | null {
  if (value === undefined || (typeof value === "string" && value.trim() === "")) return "Enter a value.";
  const r = schema.safeParse(value);
  return r.success ? null : (r.error?.issues[0]?.message ?? "Not a valid value.");
}
