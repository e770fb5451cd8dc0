import { ROLES, type Role } from "@/lib/auth/roles";
import { Select } from "./field";

/** The role picker of the user, service-account and token forms; `roles` narrows it (a token cannot outrank its owner). */
export function RoleSelect({ id, roles = ROLES }: { id: string; roles?: readonly Role[] }) {
  return (
    <Select id={id} name="role" defaultValue="viewer">
      {roles.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </Select>
  );
}
