"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { loginAction } from "@/lib/actions/auth";
import { safeNextPath } from "@/lib/auth/safe-next";

export function LoginForm({ next }: { next: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();

  return (
    <form
      className="space-y-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        startTransition(async () => {
          const res = await loginAction({
            username: String(form.get("username") ?? ""),
            password: String(form.get("password") ?? ""),
          });
          if (res.ok) {
            router.replace(safeNextPath(next));
            router.refresh();
          } else setError(res.message);
        });
      }}
    >
      <Field label="User name" htmlFor="username">
        <TextInput id="username" name="username" autoComplete="username" required autoFocus />
      </Field>
      <Field label="Password" htmlFor="password">
        <TextInput id="password" name="password" type="password" autoComplete="current-password" required />
      </Field>
      {error && <Alert>{error}</Alert>}
      <Button type="submit" disabled={pending} className="w-full justify-center">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
