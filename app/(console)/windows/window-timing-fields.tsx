import { Field, TextInput } from "@/components/ui/field";
import type { Errors } from "./new-window-input";

/** The window's name and when it runs. */
export function WindowTimingFields({ errors, defaults }: { errors: Errors; defaults: { start: string; end: string } }) {
  return (
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
  );
}
