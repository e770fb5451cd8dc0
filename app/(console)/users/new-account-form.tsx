"use client";

// The users page's two "add" forms, one component: a user (name, password, role) and a service
// account (name, role; it never signs in, a token is its only credential).
import { useRouter } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, TextInput } from "@/components/ui/field";
import { RoleSelect } from "@/components/ui/role-select";
import { useZodForm } from "@/components/ui/use-zod-form";
import { createServiceAccountAction } from "@/lib/actions/tokens";
import { createUserAction } from "@/lib/actions/users";
import { displayName } from "@/lib/format";
import { newAccountFields } from "@/lib/schemas/accounts";

const KINDS = {
  user: {
    title: "Add a user",
    id: "new",
    name: "User name",
    submit: "Create user",
    done: (u: string, role: string) => `Created ${u} (${role}).`,
  },
  "service-account": {
    title: "Add a service account",
    id: "svc",
    name: "Name",
    submit: "Create service account",
    done: (u: string, role: string) => `Created service account ${u} (${role}); now give it a token.`,
  },
} as const;

export function NewAccountForm({ kind }: { kind: keyof typeof KINDS }) {
  const router = useRouter();
  const k = KINDS[kind];
  const { register, onSubmit, errorOf, message, pending } = useZodForm({
    schema: newAccountFields,
    defaultValues: { username: "", password: "", role: "viewer" },
    submit: ({ username, password, role }) =>
      kind === "user"
        ? createUserAction({ username, password: password ?? "", role })
        : createServiceAccountAction({ username, role }),
    success: (created) => {
      router.refresh();
      return k.done(displayName(created.username), created.role);
    },
  });
  const username = errorOf("username");
  const password = errorOf("password");
  return (
    <form className="max-w-md space-y-3 rounded border border-slate-800 p-4" onSubmit={onSubmit} noValidate>
      <h2 className="font-semibold">{k.title}</h2>
      <Field label={k.name} htmlFor={`${k.id}-username`} error={username}>
        <TextInput id={`${k.id}-username`} {...register("username")} invalid={!!username} />
      </Field>
      {kind === "user" && (
        <Field
          label="Password"
          htmlFor={`${k.id}-password`}
          error={password}
          hint="At least 12 characters, hard to guess, without the user name"
        >
          <TextInput
            id={`${k.id}-password`}
            type="password"
            autoComplete="new-password"
            {...register("password")}
            invalid={!!password}
          />
        </Field>
      )}
      <Field label="Role" htmlFor={`${k.id}-role`}>
        <RoleSelect id={`${k.id}-role`} {...register("role")} />
      </Field>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <Button type="submit" disabled={pending}>
        {k.submit}
      </Button>
    </form>
  );
}
