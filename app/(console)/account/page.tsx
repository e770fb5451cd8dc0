import { redirect } from "next/navigation";
import { getSession } from "@/lib/auth/session";
import { AccountPanel } from "./account-panel";

export const dynamic = "force-dynamic";

// The caller's own account. Checks the session itself (the layout's redirect is only a UX gate).
export default async function AccountPage() {
  const me = await getSession();
  if (!me) redirect("/login?next=/account");
  return (
    <div className="space-y-6">
      <h1 className="text-xl font-semibold">Your account</h1>
      <p className="text-sm text-slate-400">
        Signed in as {me.username} ({me.role}).
      </p>
      <AccountPanel />
    </div>
  );
}
