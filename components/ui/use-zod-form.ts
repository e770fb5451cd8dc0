"use client";

// One way to build a form (docs/decisions/018): react-hook-form holds the values, the zod schema the
// action also uses checks them in the browser before anything is sent, and the action's own answer
// (it validates again, with rules the browser may not have) lands in the same places: field errors
// under their fields, the message in an alert. The first invalid field takes the focus; errors are
// announced (role=alert) and tied to their input (aria-describedby, see components/ui/field.tsx).
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { type DefaultValues, type FieldValues, type Path, useForm } from "react-hook-form";
import type { z } from "zod";
import type { ActionResult } from "@/lib/actions/action";

export type FormMessage = { tone: "error" | "success"; text: string };

export function useZodForm<In extends FieldValues, Out extends FieldValues, R>({
  schema,
  defaultValues,
  submit,
  success,
}: {
  schema: z.ZodType<Out, In>;
  defaultValues: DefaultValues<In>;
  submit: (values: Out) => Promise<ActionResult<R>>;
  /** The confirmation shown once the action succeeded; the form is then cleared. */
  success: (data: R) => string;
}) {
  const form = useForm<In, unknown, Out>({ resolver: zodResolver(schema), defaultValues });
  const [message, setMessage] = useState<FormMessage | null>(null);
  const onSubmit = form.handleSubmit(async (values) => {
    setMessage(null);
    const res = await submit(values);
    if (res.ok) {
      form.reset();
      setMessage({ tone: "success", text: success(res.data) });
      return;
    }
    for (const [name, errors] of Object.entries(res.fieldErrors ?? {}))
      if (errors[0]) form.setError(name as Path<In>, { message: errors[0] }, { shouldFocus: true });
    setMessage({ tone: "error", text: res.message });
  });
  /** A field's error messages, in the shape <Field error> takes. */
  const errorOf = (name: Path<In>): string[] | undefined => {
    const e = form.getFieldState(name, form.formState).error?.message;
    return e ? [e] : undefined;
  };
  return { register: form.register, onSubmit, errorOf, message, pending: form.formState.isSubmitting };
}
