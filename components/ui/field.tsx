import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const INPUT =
  "w-full rounded border border-slate-600 bg-slate-900 px-2 py-1.5 text-sm text-slate-100 placeholder:text-slate-500 aria-[invalid=true]:border-rose-500";

export function Field({
  label,
  htmlFor,
  error,
  hint,
  children,
}: {
  label: string;
  htmlFor: string;
  error?: string[];
  hint?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-xs font-medium uppercase tracking-wide text-slate-400">
        {label}
      </label>
      {children}
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      {error?.map((e) => (
        <p key={e} id={`${htmlFor}-error`} role="alert" className="text-xs text-rose-400">
          {e}
        </p>
      ))}
    </div>
  );
}

export function TextInput({ invalid, ...props }: InputHTMLAttributes<HTMLInputElement> & { invalid?: boolean }) {
  return (
    <input
      {...props}
      aria-invalid={invalid || undefined}
      aria-describedby={invalid ? `${props.id}-error` : undefined}
      className={INPUT}
    />
  );
}

export function TextArea({ invalid, ...props }: TextareaHTMLAttributes<HTMLTextAreaElement> & { invalid?: boolean }) {
  return <textarea {...props} aria-invalid={invalid || undefined} className={`${INPUT} font-mono`} />;
}

/** A native select, sized to its options (unlike the full-width text inputs). */
export function Select(props: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select {...props} className="rounded border border-slate-600 bg-slate-900 px-2 py-1.5 text-sm" />;
}

/**
 * A labelled number input: the unit in the label ("Max downtime (ms)"), the range on the input, and
 * the field's errors (`errorOf(name)` of useZodForm, or a form's own) under it. Other input props
 * (name, defaultValue, value/onChange, or useZodForm's register(name)) pass through.
 */
export function NumberField({
  label,
  unit,
  id,
  error,
  hint,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "type" | "id"> & {
  label: string;
  unit?: string;
  id: string;
  error?: string[];
  hint?: ReactNode;
}) {
  return (
    <Field label={unit ? `${label} (${unit})` : label} htmlFor={id} error={error} hint={hint}>
      <TextInput id={id} type="number" {...input} invalid={!!error} />
    </Field>
  );
}
