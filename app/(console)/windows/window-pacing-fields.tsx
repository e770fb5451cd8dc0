import { Field, NumberField } from "@/components/ui/field";
import type { Errors } from "./new-window-input";

/** Concurrent migrations per host, each way. */
const CONCURRENCY = [
  { label: "Max outbound per source", id: "w-out", name: "maxOutbound" },
  { label: "Max inbound per destination", id: "w-in", name: "maxInbound" },
];

/** How hard the window may push: downtime per VM, concurrent migrations per host, and who handles stalls. */
export function WindowPacingFields({ errors, policies }: { errors: Errors; policies: string[] }) {
  return (
    <div className="grid gap-3 md:grid-cols-4">
      <NumberField
        label="Downtime budget per VM"
        unit="ms"
        id="w-downtime"
        name="downtimeBudgetMs"
        min={10}
        max={60_000}
        defaultValue={1000}
        error={errors.downtimeBudgetMs}
        hint="Max pause at switchover"
      />
      {CONCURRENCY.map((f) => (
        <NumberField key={f.name} {...f} min={1} max={16} defaultValue={2} error={errors[f.name]} />
      ))}
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
  );
}
