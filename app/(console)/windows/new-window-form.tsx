"use client";

// The "New maintenance window" form: native inputs and fieldsets (Tab/Space/Enter all work), the
// action's own zod schema checked first in the browser, and every error shown next to its field.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextArea, TextInput } from "@/components/ui/field";
import { createWindowAction } from "@/lib/actions/windows";
import type { DrainableHost } from "@/lib/db/windows";
import { parseWebhookLines } from "@/lib/alerts/rules";
import { type CreateWindowInput, createWindowInput, parseAntiAffinityText } from "@/lib/schemas/windows";
import { displayName } from "@/lib/format";

type Errors = Record<string, string[]>;

export function NewWindowForm({
  hosts,
  policies,
  defaults,
}: {
  hosts: DrainableHost[];
  policies: string[];
  defaults: { start: string; end: string };
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const drainable = hosts.filter((h) => h.status === "active");

  return (
    <form
      aria-labelledby="new-window-heading"
      className="max-w-4xl space-y-4 rounded border border-slate-800 p-4"
      data-testid="new-window-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        const groups = parseAntiAffinityText(String(f.get("antiAffinity") ?? ""));
        const hooks = parseWebhookLines(String(f.get("alertWebhooks") ?? ""));
        const input: CreateWindowInput = {
          name: String(f.get("name") ?? ""),
          startsAt: utcInput(String(f.get("startsAt") ?? "")),
          endsAt: utcInput(String(f.get("endsAt") ?? "")),
          hostIds: f.getAll("hostIds").map(String),
          excludedHostIds: f.getAll("excludedHostIds").map(String),
          downtimeBudgetMs: String(f.get("downtimeBudgetMs") ?? ""),
          maxOutbound: String(f.get("maxOutbound") ?? ""),
          maxInbound: String(f.get("maxInbound") ?? ""),
          policyName: String(f.get("policyName") ?? "none"),
          antiAffinity: groups.ok ? groups.groups : {},
          alertWebhooks: hooks.ok ? hooks.targets : [],
        };
        const local = createWindowInput.safeParse(input);
        const found: Errors = local.success ? {} : fieldErrors(local.error.issues);
        if (!groups.ok) found.antiAffinity = [groups.error];
        if (!hooks.ok) found.alertWebhooks = [hooks.error];
        if (Object.keys(found).length) {
          setErrors(found);
          setMessage("Some values are not valid.");
          focusFirstError(e.currentTarget);
          return;
        }
        start(async () => {
          const res = await createWindowAction(input);
          if (res.ok) {
            router.push(`/windows/${res.data.windowId}`);
            return;
          }
          setErrors(byField(res.fieldErrors ?? {}));
          setMessage(res.message);
        });
      }}
    >
      <h2 id="new-window-heading" className="font-semibold">
        New maintenance window
      </h2>
      <div className="grid gap-3 md:grid-cols-3">
        <Field label="Name" htmlFor="w-name" error={errors.name}>
          <TextInput id="w-name" name="name" required invalid={!!errors.name} placeholder="hv1 firmware update" />
        </Field>
        <Field label="Start (UTC)" htmlFor="w-start" error={errors.startsAt}>
          <TextInput
            id="w-start"
            name="startsAt"
            type="datetime-local"
            defaultValue={defaults.start}
            required
            invalid={!!errors.startsAt}
          />
        </Field>
        <Field label="End (UTC)" htmlFor="w-end" error={errors.endsAt}>
          <TextInput
            id="w-end"
            name="endsAt"
            type="datetime-local"
            defaultValue={defaults.end}
            required
            invalid={!!errors.endsAt}
          />
        </Field>
      </div>

      <HostChoice
        legend="Hosts to drain"
        name="hostIds"
        hosts={drainable}
        error={errors.hostIds}
        empty="No host in service to drain."
        hint="Every running VM on these hosts is moved elsewhere; an emptied host is set to maintenance."
      />
      <HostChoice
        legend="Never use as destination"
        name="excludedHostIds"
        hosts={hosts}
        error={errors.excludedHostIds}
        empty="No other hosts."
      />

      <div className="grid gap-3 md:grid-cols-4">
        <Field
          label="Downtime budget per VM (ms)"
          htmlFor="w-downtime"
          error={errors.downtimeBudgetMs}
          hint="Max pause at switchover"
        >
          <TextInput
            id="w-downtime"
            name="downtimeBudgetMs"
            type="number"
            min={10}
            max={60_000}
            defaultValue={1000}
            invalid={!!errors.downtimeBudgetMs}
          />
        </Field>
        <Field label="Max outbound per source" htmlFor="w-out" error={errors.maxOutbound}>
          <TextInput
            id="w-out"
            name="maxOutbound"
            type="number"
            min={1}
            max={16}
            defaultValue={2}
            invalid={!!errors.maxOutbound}
          />
        </Field>
        <Field label="Max inbound per destination" htmlFor="w-in" error={errors.maxInbound}>
          <TextInput
            id="w-in"
            name="maxInbound"
            type="number"
            min={1}
            max={16}
            defaultValue={2}
            invalid={!!errors.maxInbound}
          />
        </Field>
        <Field
          label="Escalation policy"
          htmlFor="w-policy"
          error={errors.policyName}
          hint="With a policy, VMs predicted not to converge get auto-converge; with none they are flagged for you."
        >
          <select
            id="w-policy"
            name="policyName"
            defaultValue={policies.includes("default") ? "default" : "none"}
            className="w-full rounded border border-slate-600 bg-slate-900 px-2 py-1.5 text-sm"
          >
            {policies.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
            <option value="none">none</option>
          </select>
        </Field>
      </div>
      <Field
        label="Anti-affinity groups"
        htmlFor="w-aa"
        error={errors.antiAffinity}
        hint={'One group per line: "db-pair: vm-db1, vm-db2". VMs of a group never share a host.'}
      >
        <TextArea
          id="w-aa"
          name="antiAffinity"
          rows={3}
          invalid={!!errors.antiAffinity}
          placeholder="db-pair: vm-db1, vm-db2"
        />
      </Field>
      <Field
        label="Alert webhooks"
        htmlFor="w-hooks"
        error={errors.alertWebhooks}
        hint={
          'One per line: "URL [generic|slack] [stalled,failed,overdue,unhealthy,window-overrun]". Stalled, failed and overdue migrations of this window, guests that landed unhealthy and an armed window overrunning its end are posted there.'
        }
      >
        <TextArea
          id="w-hooks"
          name="alertWebhooks"
          rows={2}
          invalid={!!errors.alertWebhooks}
          placeholder="https://hooks.slack.com/services/… slack"
        />
      </Field>
      {message && <Alert>{message}</Alert>}
      <Button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {pending ? "Creating…" : "Create window"}
      </Button>
    </form>
  );
}

function HostChoice({
  legend,
  name,
  hosts,
  error,
  empty,
  hint,
}: {
  legend: string;
  name: string;
  hosts: DrainableHost[];
  error?: string[];
  empty: string;
  hint?: string;
}) {
  const errorId = `${name}-error`;
  return (
    <fieldset
      className="space-y-1"
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
      data-field={name}
    >
      <legend className="text-xs font-medium uppercase tracking-wide text-slate-400">{legend}</legend>
      {hosts.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {hosts.map((h) => (
            <label
              key={h.id}
              className="flex items-center gap-2 rounded border border-slate-700 px-2 py-1 text-sm has-[:checked]:border-sky-500 has-[:checked]:bg-sky-950/40"
            >
              <input type="checkbox" name={name} value={h.id} className="size-4" />
              <span className="font-medium">{displayName(h.name)}</span>
              <span className="text-xs text-slate-400">
                {h.runningVms} running / {h.vmCount} VM{h.vmCount === 1 ? "" : "s"}
                {h.cpuModel ? ` · ${h.cpuModel}` : ""}
                {h.status !== "active" ? ` · ${h.status}` : ""}
                {!h.reachable ? " · unreachable" : ""}
              </span>
            </label>
          ))}
        </div>
      )}
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      {error?.map((e) => (
        <p key={e} id={errorId} role="alert" className="text-xs text-rose-400">
          {e}
        </p>
      ))}
    </fieldset>
  );
}

function fieldErrors(issues: { path: PropertyKey[]; message: string }[]): Errors {
  return byField(Object.fromEntries(issues.map((i) => [i.path.map(String).join("."), [i.message]])));
}

/** "hostIds.0" → "hostIds": errors inside a list show on the list's field. */
function byField(errors: Errors): Errors {
  const out: Errors = {};
  for (const [key, messages] of Object.entries(errors)) {
    const field = key.split(".")[0] || "_";
    out[field] = [...new Set([...(out[field] ?? []), ...messages])];
  }
  return out;
}

function focusFirstError(form: HTMLFormElement) {
  requestAnimationFrame(() =>
    form.querySelector<HTMLElement>('[aria-invalid="true"] input, [aria-invalid="true"]')?.focus(),
  );
}

/** datetime-local values are read as UTC (the console shows UTC everywhere). */
function utcInput(value: string): string {
  return value ? `${value.length === 16 ? `${value}:00` : value}Z` : "";
}
