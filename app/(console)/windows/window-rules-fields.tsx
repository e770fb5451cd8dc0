import { Field, TextArea } from "@/components/ui/field";
import type { Errors } from "./new-window-input";

/** Free-text rules: which VMs must never share a host, and where the window's alerts are posted. */
export function WindowRulesFields({ errors }: { errors: Errors }) {
  return (
    <>
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
    </>
  );
}
