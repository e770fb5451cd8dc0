"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field, NumberField, Select, TextInput } from "@/components/ui/field";
import { RoleSelect } from "@/components/ui/role-select";
import { createTokenAction } from "@/lib/actions/tokens";
import { ROLES, type Role } from "@/lib/auth/roles";
import { displayName } from "@/lib/format";

/**
 * Creates an API token; the secret is shown here once (only its hash is stored). `owners`: an
 * admin picks whose token it is; without it the token is the caller's own.
 */
export function CreateTokenForm({
  owners,
  maxRole,
}: {
  owners?: { id: string; username: string; role: string }[];
  maxRole: Role;
}) {
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const roles = ROLES.slice(0, ROLES.indexOf(maxRole) + 1);
  return (
    <form
      className="max-w-md space-y-3 rounded border border-slate-800 p-4"
      onSubmit={(e) => {
        e.preventDefault();
        const f = new FormData(e.currentTarget);
        start(async () => {
          const userId = String(f.get("userId") ?? "");
          const res = await createTokenAction({
            name: String(f.get("name")),
            role: String(f.get("role")) as Role,
            expiresInDays: Number(f.get("expiresInDays")),
            userId: userId || undefined,
          });
          if (res.ok) {
            setErrors({});
            setMessage(null);
            setSecret(res.data.secret);
            router.refresh();
          } else {
            setErrors(res.fieldErrors ?? {});
            setMessage(res.message);
          }
        });
      }}
    >
      <h2 className="font-semibold">New API token</h2>
      <Field label="Name" htmlFor="token-name" error={errors.name} hint="What it is for, e.g. nightly-drain script">
        <TextInput id="token-name" name="name" required invalid={!!errors.name} />
      </Field>
      {owners && (
        <Field label="Owner" htmlFor="token-owner" hint="The token never acts above its owner's role">
          <Select id="token-owner" name="userId">
            {owners.map((o) => (
              <option key={o.id} value={o.id}>
                {displayName(o.username)} ({o.role})
              </option>
            ))}
          </Select>
        </Field>
      )}
      <Field label="Role" htmlFor="token-role">
        <RoleSelect id="token-role" roles={owners ? ROLES : roles} />
      </Field>
      <NumberField
        label="Expires after"
        unit="days"
        id="token-days"
        name="expiresInDays"
        min={1}
        max={366}
        defaultValue={90}
        required
        error={errors.expiresInDays}
      />
      {message && <Alert>{message}</Alert>}
      {secret && (
        <Alert tone="success">
          Copy the token now, it is not shown again:{" "}
          <code className="break-all font-mono" data-testid="token-secret">
            {secret}
          </code>
        </Alert>
      )}
      <Button type="submit" disabled={pending}>
        Create token
      </Button>
    </form>
  );
}
