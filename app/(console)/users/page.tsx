import { getSession } from "@/lib/auth/session";
import { listUsers } from "@/lib/db/users";
import { CreateUserForm } from "./create-user-form";
import { displayName } from "@/lib/format";

export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const [me, users] = await Promise.all([getSession(), listUsers()]);
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Users</h1>
      <ul className="divide-y divide-slate-800 rounded border border-slate-800 text-sm">
        {users.map((u) => (
          <li key={u.id} className="flex gap-6 px-3 py-2">
            <span className="w-48 font-medium">{displayName(u.username)}</span>
            <span className="w-24">{u.role}</span>
            <span className="text-slate-400">{u.disabled ? "disabled" : `since ${u.createdAt.toISOString().slice(0, 10)}`}</span>
          </li>
        ))}
      </ul>
      {me?.role === "admin" ? <CreateUserForm /> : <p className="text-sm text-slate-400">Only admins manage users.</p>}
    </div>
  );
}
