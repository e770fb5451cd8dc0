import type { SelectHTMLAttributes } from "react";
import { ROLES, type Role } from "@/lib/auth/roles";
import { Select } from "./field";

/**
 * The role picker of the user, service-account and token forms; `roles` narrows it (a token cannot
 * outrank its owner). Other props (a form hook's registration) go to the select.
 */
export function RoleSelect({
  id,
  roles = ROLES,
  ...props
}: { id: string; roles?: readonly Role[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  return (
    <Select id={id} name="role" defaultValue="viewer" {...props}>
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </Select>
  );
}
