import "server-only";
import { endSessionUrl } from "@/lib/auth/oidc-client";
import { authSettings } from "@/lib/auth/oidc-settings";
import { isIdpUser } from "@/lib/db/oidc-identities";
import { log } from "@/lib/log";

/**
 * For a user of the identity provider, the IdP's end-session URL (RP-initiated logout), so signing
 * out of Convoy signs out there too; null for local users, an IdP without end_session_endpoint, or
 * one that cannot be reached now (Convoy's own session has ended either way).
 */
export async function idpSignOutUrl(userId: string): Promise<string | null> {
  const s = authSettings().oidc;
  if (!s || !(await isIdpUser(userId))) return null;
  try {
    return await endSessionUrl(s);
  } catch (e) {
    log.warn("single sign-on: no end-session URL (identity provider unreachable)", { error: e });
    return null;
  }
}
