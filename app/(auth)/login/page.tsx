import { redirect } from "next/navigation";
import { authSettings } from "@/lib/auth/oidc-settings";
import { safeNextPath } from "@/lib/auth/safe-next";
import { getSession } from "@/lib/auth/session";
import { LoginForm } from "./login-form";
import { SsoSignIn, ssoErrorMessage } from "./sso-sign-in";

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[]; sso?: string | string[] }>;
}) {
  const { next, sso } = await searchParams;
  // Only same-origin paths, so a crafted link cannot bounce a user to another site after login.
  const target = safeNextPath(next);
  if (await getSession()) redirect(target);
  const { localLogin, oidc } = authSettings();
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm space-y-6 rounded-lg border border-slate-800 bg-slate-900 p-6 shadow-xl">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Convoy</h1>
          <p className="text-sm text-slate-400">Live-migration console</p>
        </div>
        {oidc && <SsoSignIn name={oidc.name} next={target} error={ssoErrorMessage(sso)} />}
        {localLogin && <LoginForm next={target} />}
      </div>
    </main>
  );
}
