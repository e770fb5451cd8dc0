import { Field, TextInput } from "@/components/ui/field";
import type { Errors } from "./new-window-input";

/** How hard the window may push: downtime per VM, concurrent migrations per host, and who handles stalls. */
export function WindowPacingFields({ errors, policies }: { errors: Errors; policies: string[] }) {
  return (
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
  );
}
