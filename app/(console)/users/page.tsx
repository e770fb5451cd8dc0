import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { toTokenItems } from "@/components/tokens/to-items";
import { TokenList } from "@/components/tokens/token-list";
import { guardedPage } from "@/lib/auth/page";
import { listTokens } from "@/lib/db/api-tokens";
import { listUsers } from "@/lib/db/users";
import { displayName } from "@/lib/format";
import { NewAccountForm } from "./new-account-form";
import { UserAdminButtons } from "./user-admin-buttons";

export const dynamic = "force-dynamic";

// Admins only: user names and roles are what a password-guessing attacker wants first.
export default guardedPage("admin", async ({ user: me }) => {
  const [users, tokens] = await Promise.all([listUsers(), listTokens()]);
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Users</h1>
      <ul className="divide-y divide-slate-800 rounded border border-slate-800 text-sm">
        {users.map((u) => (
          <li key={u.id} className="flex items-center gap-6 px-3 py-2">
            <span className="w-48 font-medium">{displayName(u.username)}</span>
            <span className="w-24">{u.role}</span>
            <span className="text-slate-400">
              {u.disabled ? "disabled" : `since ${u.createdAt.toISOString().slice(0, 10)}`}
            </span>
            <UserAdminButtons userId={u.id} username={u.username} disabled={u.disabled} isSelf={u.id === me.id} />
          </li>
        ))}
      </ul>
      <NewAccountForm kind="user" />
      <section className="space-y-3" aria-label="API tokens">
        <h2 className="text-lg font-semibold">API tokens</h2>
        <TokenList tokens={toTokenItems(tokens)} showOwner />
        <CreateTokenForm
          maxRole="admin"
          owners={users.filter((u) => !u.disabled).map((u) => ({ id: u.id, username: u.username, role: u.role }))}
        />
        <NewAccountForm kind="service-account" />
      </section>
    </div>
  );
});
