"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, Select, TextArea, TextInput } from "@/components/ui/field";
import { precheckMigrationAction, predictMigrationAction, startMigrationAction } from "@/lib/actions/migrations";
import type { DestinationChoice, VmDetail } from "@/lib/db/vms";
import type { PrecheckReport } from "@/lib/migration-ops/prechecks";
import type { Measurement } from "@/lib/migration-ops/predict";
import { type LaunchOptions, launchOptions } from "@/lib/schemas/migrations";
import { PrecheckTable } from "./precheck-table";
import { PredictionPanel } from "./prediction-panel";
import { displayName } from "@/lib/format";

/** The schema's defaults, so the form starts where an API call without options would. */
const DEFAULTS = launchOptions.parse({});

export function MigrateWizard({
  vm,
  destinations,
  isAdmin,
  policies,
}: {
  vm: VmDetail;
  destinations: DestinationChoice[];
  isAdmin: boolean;
  policies: { name: string; description?: string }[];
}) {
  const router = useRouter();
  const [dest, setDest] = useState<string>("best");
  const [options, setOptions] = useState<LaunchOptions>(DEFAULTS);
  const [report, setReport] = useState<PrecheckReport | null>(null);
  const [measurement, setMeasurement] = useState<Measurement | null>(null);
  const [overrideReason, setOverrideReason] = useState("");
  const [policyName, setPolicyName] = useState("default");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<"checks" | "measure" | "start" | null>(null);
  const [, start] = useTransition();
  const [idempotencyKey] = useState(() => crypto.randomUUID());

  const chosenHost = destinations.find((d) => d.id === (dest === "best" ? report?.chosen?.hostId : dest));
  const linkBps = Math.min(vm.host.nicBps, chosenHost?.nicBps ?? vm.host.nicBps);
  const checksFailed = report?.chosen ? !report.chosen.result.ok : false;
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

  return (
    <section className="space-y-5 rounded border border-slate-800 p-4" aria-labelledby="migrate-heading">
      <h2 id="migrate-heading" className="text-lg font-semibold">
        Live-migrate {displayName(vm.name)}
      </h2>

      <div className="flex flex-wrap items-end gap-3">
        <Field label="Destination" htmlFor="dest">
          <Select
            id="dest"
            value={dest}
            onChange={(e) => {
              setDest(e.currentTarget.value);
              setReport(null);
            }}
          >
            <option value="best">Best (most room after in-flight migrations)</option>
            {destinations.map((d) => (
              <option key={d.id} value={d.id}>
                {displayName(d.name)}
                {d.status !== "active" ? ` (${d.status})` : ""}
              </option>
            ))}
          </Select>
        </Field>
        <Button
          variant="secondary"
          disabled={busy !== null}
          onClick={() =>
            run("checks", async () => {
              const res = await precheckMigrationAction({ vmId: vm.id, destHostId: dest });
              if (res.ok) setReport(res.data);
              else setError(res.message);
            })
          }
        >
          {busy === "checks" ? "Checking…" : "Run pre-checks"}
        </Button>
        <Button
          variant="secondary"
          disabled={busy !== null || vm.state !== "running"}
          onClick={() =>
            run("measure", async () => {
              const res = await predictMigrationAction({ vmId: vm.id, seconds: 2 });
              if (res.ok) setMeasurement(res.data);
              else setError(res.message);
            })
          }
        >
          {busy === "measure" ? "Measuring dirty rate (1 s + up to 30 s)…" : "Measure dirty rate & predict"}
        </Button>
      </div>

      {report && <PrecheckTable report={report} />}
      {measurement && (
        <PredictionPanel
          measurement={measurement}
          options={options}
          linkBps={linkBps}
          learned={chosenHost ? measurement.learnedPaths[chosenHost.id] : undefined}
        />
      )}

      <fieldset className="grid gap-3 rounded border border-slate-800 p-3 sm:grid-cols-3">
        <legend className="px-1 text-xs uppercase tracking-wide text-slate-400">
          Launch options (the prediction follows them)
        </legend>
        <Field label="Bandwidth cap (MiB/s)" htmlFor="bandwidth" hint="Empty = unlimited">
          <TextInput
            id="bandwidth"
            type="number"
            min={1}
            value={options.bandwidthMiB ?? ""}
            onChange={(e) => set({ bandwidthMiB: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })}
          />
        </Field>
        <Field label="Max downtime (ms)" htmlFor="maxDowntime">
          <TextInput
            id="maxDowntime"
            type="number"
            min={1}
            value={options.maxDowntimeMs}
            onChange={(e) => set({ maxDowntimeMs: Number(e.currentTarget.value) || 1 })}
          />
        </Field>
        <Field label="Parallel connections" htmlFor="parallel" hint="Empty = one stream">
          <TextInput
            id="parallel"
            type="number"
            min={2}
            max={16}
            value={options.parallelConnections ?? ""}
            onChange={(e) =>
              set({ parallelConnections: e.currentTarget.value ? Number(e.currentTarget.value) : undefined })
            }
          />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={options.autoConverge.enabled}
            onChange={(e) => set({ autoConverge: { ...options.autoConverge, enabled: e.currentTarget.checked } })}
          />
          Auto-converge (throttles the guest's vCPUs if it dirties too fast)
        </label>
        <Field label="Throttle initial / increment (%)" htmlFor="acInitial">
          <div className="flex gap-2">
            <TextInput
              id="acInitial"
              type="number"
              min={1}
              max={99}
              disabled={!options.autoConverge.enabled}
              value={options.autoConverge.initial}
              onChange={(e) =>
                set({ autoConverge: { ...options.autoConverge, initial: Number(e.currentTarget.value) || 1 } })
              }
            />
            <TextInput
              id="acIncrement"
              aria-label="Throttle increment (%)"
              type="number"
              min={1}
              max={99}
              disabled={!options.autoConverge.enabled}
              value={options.autoConverge.increment}
              onChange={(e) =>
                set({ autoConverge: { ...options.autoConverge, increment: Number(e.currentTarget.value) || 1 } })
              }
            />
          </div>
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={options.postcopy}
            onChange={(e) => set({ postcopy: e.currentTarget.checked })}
          />
          Arm post-copy (lets you switch later; a failure after the switch loses the guest)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={options.compressed}
            onChange={(e) => set({ compressed: e.currentTarget.checked })}
          />
          Compression
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={options.tls} onChange={(e) => set({ tls: e.currentTarget.checked })} />
          TLS
        </label>
        <Field
          label="Timeout action"
          htmlFor="timeoutAction"
          hint="After the timeout: pause the guest, or switch to post-copy"
        >
          <div className="flex gap-2">
            <TextInput
              id="timeoutSeconds"
              aria-label="Timeout (s)"
              type="number"
              min={1}
              placeholder="seconds"
              value={options.timeout?.seconds ?? ""}
              onChange={(e) =>
                set({
                  timeout: e.currentTarget.value
                    ? { seconds: Number(e.currentTarget.value), action: options.timeout?.action ?? "suspend" }
                    : undefined,
                })
              }
            />
            <select
              id="timeoutAction"
              disabled={!options.timeout}
              value={options.timeout?.action ?? "suspend"}
              onChange={(e) =>
                options.timeout &&
                set({ timeout: { ...options.timeout, action: e.currentTarget.value as "suspend" | "postcopy" } })
              }
              className="rounded border border-slate-600 bg-slate-900 px-2 text-sm"
            >
              <option value="suspend">suspend</option>
              <option value="postcopy">post-copy</option>
            </select>
          </div>
        </Field>
        <Field label="Escalation policy" htmlFor="policy" hint="Applied automatically when it stalls">
          <Select id="policy" value={policyName} onChange={(e) => setPolicyName(e.currentTarget.value)}>
            {policies.map((p) => (
              <option key={p.name} value={p.name} title={p.description}>
                {displayName(p.name)}
              </option>
            ))}
            <option value="none">none (operator decides)</option>
          </Select>
        </Field>
      </fieldset>

      {checksFailed && isAdmin && (
        <Field label="Override failed pre-checks (admin): why?" htmlFor="override">
          <TextArea
            id="override"
            rows={2}
            value={overrideReason}
            onChange={(e) => setOverrideReason(e.currentTarget.value)}
          />
        </Field>
      )}
      {error && <Alert>{error}</Alert>}
      <Button
        disabled={busy !== null || !report || (checksFailed && !(isAdmin && overrideReason.trim().length >= 10))}
        onClick={() =>
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
            else
              setError(
                res.fieldErrors
                  ? `${res.message} ${Object.entries(res.fieldErrors)
                      .map(([k, v]) => `${k}: ${v.join(", ")}`)
                      .join("; ")}`
                  : res.message,
              );
          })
        }
      >
        {busy === "start" ? "Starting…" : "Start migration"}
      </Button>
      {!report && <p className="text-xs text-slate-500">Run the pre-checks first.</p>}
    </section>
  );
}
