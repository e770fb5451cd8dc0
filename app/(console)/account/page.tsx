import { CreateTokenForm } from "@/components/tokens/create-token-form";
import { toTokenItems } from "@/components/tokens/to-items";
import { TokenList } from "@/components/tokens/token-list";
import { guardedPage } from "@/lib/auth/page";
import { listTokens } from "@/lib/db/api-tokens";
import { displayName } from "@/lib/format";
import { AccountPanel } from "./account-panel";

export const dynamic = "force-dynamic";

// The caller's own account: password change, "sign out everywhere" and their API tokens. Any signed-in role.
export default guardedPage("viewer", async ({ user: me }) => {
  const tokens = toTokenItems(await listTokens(me.id));
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Your account</h1>
      <p className="text-sm text-slate-400">
        Signed in as {displayName(me.username)} ({me.role}).
      </p>
      <AccountPanel />
      <section className="space-y-3" aria-label="API tokens">
        <h2 className="text-lg font-semibold">API tokens</h2>
        <p className="text-sm text-slate-400">
          For scripts calling{" "}
          <a className="underline" href="/api-docs">
            the API
          </a>
          : a token acts as you, with at most your role.
        </p>
        <TokenList tokens={tokens} showOwner={false} />
        <CreateTokenForm maxRole={me.role} />
      </section>
    </div>
  );
});
