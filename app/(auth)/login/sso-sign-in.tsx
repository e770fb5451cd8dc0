import { Alert } from "@/components/ui/alert";
import type { SsoFailure } from "@/lib/auth/oidc-sign-in";

// Why the last single sign-on attempt failed, as the callback reported it (/login?sso=…).
const MESSAGES: Record<SsoFailure, string> = {
  off: "Single sign-on is not configured.",
  idp: "Your identity provider did not sign you in.",
  refused: "The identity provider's answer was refused (expired, altered or not for this browser). Try again.",
  "no-role": "Your account is in no group that gives access to Convoy. Ask an administrator.",
  disabled: "Your Convoy account is disabled. Ask an administrator.",
  unavailable: "Your identity provider cannot be reached right now. Try again in a moment.",
};

export function ssoErrorMessage(code: unknown): string | null {
  return typeof code === "string" && Object.hasOwn(MESSAGES, code) ? MESSAGES[code as SsoFailure] : null;
}

/** "Sign in with <provider>": a plain link, since the sign-in starts with a navigation to the IdP. */
export function SsoSignIn({ name, next, error }: { name: string; next: string; error: string | null }) {
  return (
    <div className="space-y-3">
      {error && <Alert>{error}</Alert>}
      <a
        href={`/api/auth/oidc/login?next=${encodeURIComponent(next)}`}
        className="flex w-full justify-center rounded bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-600"
      >
        Sign in with {name}
      </a>
    </div>
  );
}
