"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { RoleSelect } from "@/components/ui/role-select";
import { createServiceAccountAction } from "@/lib/actions/tokens";
import type { Role } from "@/lib/auth/roles";
import { displayName } from "@/lib/format";

/** A service account cannot sign in; give it a token above (Owner) for the script that uses it. */
export function CreateServiceAccountForm() {
  const router = useRouter();
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
          const res = await createServiceAccountAction({
            username: String(f.get("username")),
            role: String(f.get("role")) as Role,
          });
          if (!res.ok) return setMessage({ tone: "error", text: res.message });
          setMessage({
            tone: "success",
            text: `Created service account ${displayName(res.data.username)} (${res.data.role}); now give it a token.`,
          });
          form.reset();
          router.refresh();
        });
      }}
    >
      <h2 className="font-semibold">Add a service account</h2>
      <Field label="Name" htmlFor="svc-username">
        <TextInput id="svc-username" name="username" required />
      </Field>
      <Field label="Role" htmlFor="svc-role">
        <RoleSelect id="svc-role" />
      </Field>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Button type="submit" disabled={pending}>
        Create service account
      </Button>
    </form>
  );
}
