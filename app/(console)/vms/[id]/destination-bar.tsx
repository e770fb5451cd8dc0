"use client";

import { Button } from "@/components/ui/button";
import { Field, Select } from "@/components/ui/field";
import type { DestinationChoice } from "@/lib/db/vms";
import { displayName } from "@/lib/format";
import type { WizardBusy } from "./use-migrate-wizard";

/** Where to migrate to, and the two look-before-you-leap actions: pre-checks and the dirty-rate measurement. */
export function DestinationBar({
  destinations,
  dest,
  onDestChange,
  busy,
  canMeasure,
  onRunChecks,
  onMeasure,
}: {
  destinations: DestinationChoice[];
  dest: string;
  onDestChange: (value: string) => void;
  busy: WizardBusy;
  canMeasure: boolean;
  onRunChecks: () => void;
  onMeasure: () => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field label="Destination" htmlFor="dest">
        <Select id="dest" value={dest} onChange={(e) => onDestChange(e.currentTarget.value)}>
          <option value="best">Best (most room after in-flight migrations)</option>
          {destinations.map((d) => (
            <option key={d.id} value={d.id}>
              {displayName(d.name)}
              {d.status !== "active" ? ` (${d.status})` : ""}
            </option>
          ))}
        </Select>
      </Field>
      <Button variant="secondary" disabled={busy !== null} onClick={onRunChecks}>
        {busy === "checks" ? "Checking…" : "Run pre-checks"}
      </Button>
      <Button variant="secondary" disabled={busy !== null || !canMeasure} onClick={onMeasure}>
        {busy === "measure" ? "Measuring dirty rate (1 s + up to 30 s)…" : "Measure dirty rate & predict"}
      </Button>
    </div>
  );
}
