"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { changePasswordAction, signOutEverywhereAction } from "@/lib/actions/auth";

/** The signed-in user's own account: change the password (ends their other sessions), sign out everywhere. */
export function AccountPanel() {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();
  return (
    <section className="max-w-md space-y-3 rounded border border-slate-800 p-4" aria-label="Password and sessions">
      <form
        className="space-y-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = e.currentTarget;
          const f = new FormData(form);
          start(async () => {
            const res = await changePasswordAction({
              currentPassword: String(f.get("currentPassword")),
              newPassword: String(f.get("newPassword")),
            });
            if (res.ok) {
              form.reset();
              const n = res.data.otherSessionsEnded;
              setMessage({
                tone: "success",
                text: `Password changed. ${n} other session${n === 1 ? "" : "s"} signed out.`,
              });
            } else setMessage({ tone: "error", text: res.message });
          });
        }}
      >
        <Field label="Current password" htmlFor="current-password">
          <TextInput
            id="current-password"
            name="currentPassword"
            type="password"
            autoComplete="current-password"
            required
          />
        </Field>
        <Field
          label="New password"
          htmlFor="new-own-password"
          hint="At least 12 characters, hard to guess, without your user name"
        >
          <TextInput id="new-own-password" name="newPassword" type="password" autoComplete="new-password" required />
        </Field>
        <Button type="submit" disabled={pending}>
          Change password
        </Button>
      </form>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Button
        variant="secondary"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const res = await signOutEverywhereAction({});
            if (!res.ok) return setMessage({ tone: "error", text: res.message });
            router.replace("/login");
            router.refresh();
          })
        }
      >
        Sign out everywhere (all my sessions)
      </Button>
    </section>
  );
}
