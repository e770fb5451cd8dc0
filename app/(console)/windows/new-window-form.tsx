"use client";

// The "New maintenance window" form: native inputs and fieldsets (Tab/Space/Enter all work), the
// action's own zod schema checked first in the browser, and every error shown next to its field.
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import type { DrainableHost } from "@/lib/db/windows";
import { HostChoice } from "./host-choice";
import { useNewWindowSubmit } from "./use-new-window-submit";
import { WindowPacingFields } from "./window-pacing-fields";
import { WindowRulesFields } from "./window-rules-fields";
import { WindowTimingFields } from "./window-timing-fields";

export function NewWindowForm({
  hosts,
  policies,
  defaults,
}: {
  hosts: DrainableHost[];
  policies: string[];
  defaults: { start: string; end: string };
}) {
  const { errors, message, pending, onSubmit } = useNewWindowSubmit();
  const drainable = hosts.filter((h) => h.status === "active");

  return (
    <form
      aria-labelledby="new-window-heading"
      className="max-w-4xl space-y-4 rounded border border-slate-800 p-4"
      data-testid="new-window-form"
      noValidate
      onSubmit={onSubmit}
    >
      <h2 id="new-window-heading" className="font-semibold">
        New maintenance window
      </h2>
      <WindowTimingFields errors={errors} defaults={defaults} />

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

      <WindowPacingFields errors={errors} policies={policies} />
      <WindowRulesFields errors={errors} />
      {message && <Alert>{message}</Alert>}
      <Button type="submit" disabled={pending} aria-busy={pending || undefined}>
        {pending ? "Creating…" : "Create window"}
      </Button>
    </form>
  );
}
