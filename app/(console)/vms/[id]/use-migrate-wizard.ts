"use client";

// The wizard's shared state: destination, launch options, pre-check report, measurement, and the
// three actions (pre-checks, measure, start) with one busy flag and one error between them.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { precheckMigrationAction, predictMigrationAction, startMigrationAction } from "@/lib/actions/migrations";
import type { DestinationChoice, VmDetail } from "@/lib/db/vms";
import type { PrecheckReport } from "@/lib/migration-ops/prechecks";
import type { Measurement } from "@/lib/migration-ops/predict";
import { type LaunchOptions, launchOptions } from "@/lib/schemas/migrations";

/** The schema's defaults, so the form starts where an API call without options would. */
const DEFAULTS = launchOptions.parse({});

export type WizardBusy = "checks" | "measure" | "start" | null;

/** The start action's message, followed by each rejected field and why. */
export function startFailureText(message: string, fieldErrors?: Record<string, string[]>): string {
  return fieldErrors
    ? `${message} ${Object.entries(fieldErrors)
        .map(([k, v]) => `${k}: ${v.join(", ")}`)
        .join("; ")}`
    : message;
}

export function useMigrateWizard(vm: VmDetail, destinations: DestinationChoice[], isAdmin: boolean) {
  const router = useRouter();
  const [dest, setDest] = useState<string>("best");
  const [options, setOptions] = useState<LaunchOptions>(DEFAULTS);
  const [report, setReport] = useState<PrecheckReport | null>(null);
  const [measurement, setMeasurement] = useState<Measurement | null>(null);
  const [overrideReason, setOverrideReason] = useState("");
  const [policyName, setPolicyName] = useState("default");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<WizardBusy>(null);
  const [, start] = useTransition();
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const chosenHost = destinations.find((d) => d.id === (dest === "best" ? report?.chosen?.hostId : dest));
  const linkBps = Math.min(vm.host.nicBps, chosenHost?.nicBps ?? vm.host.nicBps);
  const checksFailed = report?.chosen ? !report.chosen.result.ok : false;
  // Failed pre-checks block the start unless an admin gives a reason of at least ten characters.
  const canStart =
    busy === null && report !== null && (!checksFailed || (isAdmin && overrideReason.trim().length >= 10));
  const set = (patch: Partial<LaunchOptions>) => setOptions((o) => ({ ...o, ...patch }));

  const run = (what: "checks" | "measure" | "start", fn: () => Promise<void>) =>
    start(async () => {
      setBusy(what);
      setError(null);
      try {
        await fn();
      } finally {
        setBusy(null);
      }
    });

  const chooseDest = (value: string) => {
    setDest(value);
    setReport(null);
  };
  const runChecks = () =>
    run("checks", async () => {
      const res = await precheckMigrationAction({ vmId: vm.id, destHostId: dest });
      if (res.ok) setReport(res.data);
      else setError(res.message);
    });
  const measure = () =>
    run("measure", async () => {
      const res = await predictMigrationAction({ vmId: vm.id, seconds: 2 });
      if (res.ok) setMeasurement(res.data);
      else setError(res.message);
    });
  const startMigration = () =>
    run("start", async () => {
      const res = await startMigrationAction({
        vmId: vm.id,
        destHostId: dest,
        options,
        overrideReason: checksFailed ? overrideReason : undefined,
        policyName,
        idempotencyKey,
      });
      if (res.ok) router.push(`/migrations/${res.data.migrationId}`);
      else setError(startFailureText(res.message, res.fieldErrors));
    });

  return {
    dest,
    options,
    set,
    report,
    measurement,
    overrideReason,
    setOverrideReason,
    policyName,
    setPolicyName,
    error,
    busy,
    chosenHost,
    linkBps,
    checksFailed,
    canStart,
    chooseDest,
    runChecks,
    measure,
    startMigration,
  };
}
