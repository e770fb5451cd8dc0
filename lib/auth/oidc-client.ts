import "server-only";
import * as oidc from "openid-client";
import type { OidcSettings } from "@/lib/auth/oidc-settings";
import { open, seal } from "@/lib/crypto/secret-box";
import { BlockedRequest, guardedFetch } from "@/lib/net/guarded-fetch";

// The relying party, on openid-client (docs/decisions/013): discovery, authorization code + PKCE
// with state and nonce, ID token validation (signature against the IdP's keys, issuer, audience,
// expiry, nonce) by the library, userinfo and RP-initiated logout. Every request to the IdP goes
// through guardedFetch: internal addresses only when CONVOY_OIDC_ALLOW names them.

/** Plain http only to a loopback issuer (a test IdP on this machine); anything else must be https. */
const isLoopback = (u: URL) => /^(127\.\d+\.\d+\.\d+|\[::1\]|localhost)$/i.test(u.hostname);

const DISCOVERY_TTL_MS = 3_600_000;
let discovered: { key: string; at: number; config: Promise<oidc.Configuration> } | undefined;

/** The IdP's configuration, discovered once an hour per process (a failure is retried next time). */
export function idpConfiguration(s: OidcSettings): Promise<oidc.Configuration> {
  const key = `${s.issuer.href}\0${s.clientId}\0${s.clientSecret}\0${JSON.stringify(s.allow)}`;
  if (discovered?.key === key && Date.now() - discovered.at < DISCOVERY_TTL_MS) return discovered.config;
  if (s.issuer.protocol !== "https:" && !isLoopback(s.issuer))
    return Promise.reject(new Error("CONVOY_OIDC_ISSUER must be https:// (plain http only to a loopback test IdP)"));
  const config = oidc
    .discovery(s.issuer, s.clientId, undefined, oidc.ClientSecretBasic(s.clientSecret), {
      [oidc.customFetch]: guardedFetch(s.allow),
      // openid-client trusts an ID token from the token endpoint on TLS alone unless told to
      // check its signature against the IdP's published keys too: we want both.
      execute: [
        oidc.enableNonRepudiationChecks,
        ...(s.issuer.protocol === "http:" ? [oidc.allowInsecureRequests] : []),
      ],
    })
    .then((c) => {
      c[oidc.customFetch] = guardedFetch(s.allow);
      return c;
    });
  const entry = { key, at: Date.now(), config };
  discovered = entry;
  config.catch(() => {
    if (discovered === entry) discovered = undefined;
  });
  return config;
}

/** What the browser carries between the redirect to the IdP and the callback (sealed in a cookie). */
type Pending = { state: string; nonce: string; verifier: string; next: string; at: number };
export const PENDING_COOKIE = "convoy_oidc";
export const PENDING_TTL_S = 600;

/** The IdP's authorization URL and the sealed cookie value that binds the callback to this browser. */
export async function startSignIn(s: OidcSettings, next: string): Promise<{ url: URL; pending: string }> {
  const config = await idpConfiguration(s);
  const p: Pending = {
    state: oidc.randomState(),
    nonce: oidc.randomNonce(),
    verifier: oidc.randomPKCECodeVerifier(),
    next,
    at: Date.now(),
  };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: s.redirectUrl.href,
    scope: s.scopes,
    response_type: "code",
    code_challenge: await oidc.calculatePKCECodeChallenge(p.verifier),
    code_challenge_method: "S256",
    state: p.state,
    nonce: p.nonce,
  });
  return { url, pending: seal(JSON.stringify(p)) };
}

export class SignInRefused extends Error {
  override name = "SignInRefused";
}

function openPending(sealed: string | undefined): Pending {
  if (!sealed) throw new SignInRefused("no sign-in in progress in this browser (cookie missing)");
  let p: Pending;
  try {
    p = JSON.parse(open(sealed)) as Pending;
  } catch {
    throw new SignInRefused("the sign-in cookie is not one Convoy sealed");
  }
  if (Date.now() - p.at > PENDING_TTL_S * 1000) throw new SignInRefused("the sign-in took longer than 10 minutes");
  return p;
}

export type IdpIdentity = { issuer: string; subject: string; claims: Record<string, unknown>; next: string };

/**
 * Redeems the callback's code (state, PKCE verifier and nonce checked; the ID token validated by
 * openid-client) and reads the userinfo claims. `query` is the callback's query string: the URL is
 * rebuilt on the configured redirect URL, whatever Host the request came in on.
 */
export async function finishSignIn(
  s: OidcSettings,
  query: URLSearchParams,
  sealed: string | undefined,
): Promise<IdpIdentity> {
  const p = openPending(sealed);
  const config = await idpConfiguration(s);
  const current = new URL(s.redirectUrl);
  current.search = query.toString();
  try {
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: p.verifier,
      expectedState: p.state,
      expectedNonce: p.nonce,
      idTokenExpected: true,
    });
    const idClaims = tokens.claims();
    if (!idClaims) throw new SignInRefused("the IdP sent no ID token");
    // With the code flow many IdPs put profile and group claims in userinfo only (its subject must match).
    const info = config.serverMetadata().userinfo_endpoint
      ? await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub)
      : {};
    return { issuer: idClaims.iss, subject: idClaims.sub, claims: { ...info, ...idClaims }, next: p.next };
  } catch (e) {
    // An IdP that cannot be reached is not a refusal; anything else the library refused is (wrong
    // state, bad signature, expired, wrong audience or nonce…), and its reason is audited.
    if (e instanceof SignInRefused || unreachable(e)) throw e;
    throw new SignInRefused(reasons(e).slice(0, 400));
  }
}

const causes = (e: unknown): unknown[] => (e instanceof Error && e.cause !== undefined ? [e, ...causes(e.cause)] : [e]);
const reasons = (e: unknown) =>
  causes(e)
    .map((c) => (c instanceof Error ? c.message : String(c)))
    .join(": ");

/** A network failure or an address the policy refused, anywhere in the error's causes. */
function unreachable(e: unknown): boolean {
  return causes(e).some(
    (c) =>
      c instanceof BlockedRequest ||
      /^(E[A-Z]{3,}|EAI_[A-Z]+)$/.test(String((c as { code?: unknown })?.code ?? "")) ||
      (c instanceof Error && /did not answer|aborted|answered more/.test(c.message)),
  );
}

/** Where to send the browser to sign out at the IdP too, or null when it offers no end_session_endpoint. */
export async function endSessionUrl(s: OidcSettings): Promise<string | null> {
  const config = await idpConfiguration(s);
  if (!config.serverMetadata().end_session_endpoint) return null;
  return oidc.buildEndSessionUrl(config, { post_logout_redirect_uri: s.postLogoutUrl.href }).href;
}
