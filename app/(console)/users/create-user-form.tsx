"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { RoleSelect } from "@/components/ui/role-select";
import { createUserAction } from "@/lib/actions/users";
import type { Role } from "@/lib/auth/roles";
import { displayName } from "@/lib/format";

export function CreateUserForm() {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [pending, start] = useTransition();
  return (
    <form
      className="max-w-md space-y-3 rounded border border-slate-800 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const form = e.currentTarget;
        const f = new FormData(form);
        start(async () => {
          const res = await createUserAction({
            username: String(f.get("username")),
            password: String(f.get("password")),
            role: String(f.get("role")) as Role,
          });
          if (res.ok) {
            setErrors({});
            setMessage({ tone: "success", text: `Created ${displayName(res.data.username)} (${res.data.role}).` });
            form.reset();
            router.refresh();
          } else {
            setErrors(res.fieldErrors ?? {});
            setMessage({ tone: "error", text: res.message });
          }
        });
      }}
    >
      <h2 className="font-semibold">Add a user</h2>
      <Field label="User name" htmlFor="new-username" error={errors.username}>
        <TextInput id="new-username" name="username" required invalid={!!errors.username} />
      </Field>
      <Field
        label="Password"
        htmlFor="new-password"
        error={errors.password}
        hint="At least 12 characters, hard to guess, without the user name"
      >
        <TextInput
          id="new-password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          invalid={!!errors.password}
        />
      </Field>
      <Field label="Role" htmlFor="new-role">
        <RoleSelect id="new-role" />
      </Field>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Button type="submit" disabled={pending}>
        Create user
      </Button>
    </form>
  );
}
