"use client";

// Submitting the "New maintenance window" form: browser-side checks first (errors focus the first
// invalid field), then the action; its field errors land next to their fields too.
import { useRouter } from "next/navigation";
import { type FormEvent, useState, useTransition } from "react";
import { createWindowAction } from "@/lib/actions/windows";
import { byField, type Errors, readNewWindowForm } from "./new-window-input";

export function useNewWindowSubmit() {
  const router = useRouter();
  const [errors, setErrors] = useState<Errors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const { input, errors: found } = readNewWindowForm(new FormData(e.currentTarget));
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
  };

  return { errors, message, pending, onSubmit };
}

function focusFirstError(form: HTMLFormElement) {
  requestAnimationFrame(() =>
    form.querySelector<HTMLElement>('[aria-invalid="true"] input, [aria-invalid="true"]')?.focus(),
  );
}
