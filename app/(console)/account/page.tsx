import { guardedPage } from "@/lib/auth/page";
import { displayName } from "@/lib/format";
import { AccountPanel } from "./account-panel";

export const dynamic = "force-dynamic";

// The caller's own account: password change and "sign out everywhere". Any signed-in role.
export default guardedPage("viewer", async ({ user: me }) => (
  <div className="space-y-6">
    <h1 className="text-xl font-semibold">Your account</h1>
    <p className="text-sm text-slate-400">
      Signed in as {displayName(me.username)} ({me.role}).
    </p>
    <AccountPanel />
  </div>
));
