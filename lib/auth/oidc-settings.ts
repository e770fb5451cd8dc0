import "server-only";
import { z } from "zod";
import { hasRole, ROLES, type Role } from "@/lib/auth/roles";
import { type AllowList, parseAllowList } from "@/lib/net/outbound-address";
import { parseJsonLimited } from "@/lib/parse/safe-parse";

// Single sign-on settings (README "Sign in with your identity provider"). Read from process.env on
// each call — cheap, cached per raw value — rather than through env(): the integration tests switch
// CONVOY_OIDC_NO_GROUP and CONVOY_LOCAL_LOGIN between cases in one process.

const roleMap = z
  .string()
  .transform((s, ctx) => {
    try {
      return parseJsonLimited(s, "CONVOY_OIDC_ROLE_MAP", { maxChars: 100_000, maxDepth: 2 });
    } catch {
      ctx.addIssue({
        code: "custom",
        message: 'CONVOY_OIDC_ROLE_MAP: JSON such as {"convoy-admins":"admin","noc":"operator"}',
      });
      return z.NEVER;
    }
  })
  .pipe(z.record(z.string().min(1).max(256), z.enum(ROLES)));

const allowList = z.string().transform((s, ctx) => {
  try {
    return parseAllowList(s);
  } catch {
    ctx.addIssue({ code: "custom", message: "CONVOY_OIDC_ALLOW: IP addresses or CIDRs, separated by commas" });
    return z.NEVER;
  }
});

const schema = z.object({
  CONVOY_LOCAL_LOGIN: z.enum(["on", "off"]).default("on"),
  CONVOY_OIDC_ISSUER: z.string().url().optional(),
  CONVOY_OIDC_CLIENT_ID: z.string().min(1).max(256).optional(),
  CONVOY_OIDC_CLIENT_SECRET: z.string().min(1).max(1024).optional(),
  CONVOY_OIDC_REDIRECT_URL: z.string().url().optional(),
  CONVOY_OIDC_NAME: z.string().min(1).max(60).default("your identity provider"),
  CONVOY_OIDC_SCOPES: z.string().default("openid profile email groups"),
  CONVOY_OIDC_GROUPS_CLAIM: z.string().min(1).max(100).default("groups"),
  CONVOY_OIDC_ROLE_MAP: roleMap.default({}),
  // A user in none of the mapped groups: signed in as a viewer, or refused.
  CONVOY_OIDC_NO_GROUP: z.enum(["viewer", "refuse"]).default("refuse"),
  // Internal addresses the IdP may have anyway (lib/net/outbound-address.ts); none by default.
  CONVOY_OIDC_ALLOW: allowList.default([]),
  CONVOY_PUBLIC_URL: z.string().url().default("http://localhost:3000"),
});

export type OidcSettings = {
  issuer: URL;
  clientId: string;
  clientSecret: string;
  redirectUrl: URL;
  /** Where the IdP sends the browser after RP-initiated logout. */
  postLogoutUrl: URL;
  name: string;
  scopes: string;
  groupsClaim: string;
  roleMap: Record<string, Role>;
  noGroup: "viewer" | "refuse";
  allow: AllowList;
};
export type AuthSettings = { localLogin: boolean; oidc: OidcSettings | null };

let cached: { raw: string; value: AuthSettings } | undefined;

/** Throws with the offending variable when the configuration is wrong (the sign-in page shows it). */
export function authSettings(): AuthSettings {
  const raw = JSON.stringify(Object.keys(schema.shape).map((k) => process.env[k]));
  if (cached?.raw === raw) return cached.value;
  const e = schema.parse(process.env);
  const configured = [e.CONVOY_OIDC_ISSUER, e.CONVOY_OIDC_CLIENT_ID, e.CONVOY_OIDC_CLIENT_SECRET];
  if (configured.some(Boolean) && !configured.every(Boolean)) {
    throw new Error(
      "Single sign-on needs CONVOY_OIDC_ISSUER, CONVOY_OIDC_CLIENT_ID and CONVOY_OIDC_CLIENT_SECRET together",
    );
  }
  const oidc: OidcSettings | null =
    e.CONVOY_OIDC_ISSUER && e.CONVOY_OIDC_CLIENT_ID && e.CONVOY_OIDC_CLIENT_SECRET
      ? (() => {
          const redirectUrl = new URL(
            e.CONVOY_OIDC_REDIRECT_URL ?? new URL("/api/auth/oidc/callback", e.CONVOY_PUBLIC_URL).href,
          );
          return {
            issuer: new URL(e.CONVOY_OIDC_ISSUER),
            clientId: e.CONVOY_OIDC_CLIENT_ID,
            clientSecret: e.CONVOY_OIDC_CLIENT_SECRET,
            redirectUrl,
            postLogoutUrl: new URL("/login", redirectUrl),
            name: e.CONVOY_OIDC_NAME,
            scopes: e.CONVOY_OIDC_SCOPES.includes("openid") ? e.CONVOY_OIDC_SCOPES : `openid ${e.CONVOY_OIDC_SCOPES}`,
            groupsClaim: e.CONVOY_OIDC_GROUPS_CLAIM,
            roleMap: e.CONVOY_OIDC_ROLE_MAP,
            noGroup: e.CONVOY_OIDC_NO_GROUP,
            allow: e.CONVOY_OIDC_ALLOW,
          };
        })()
      : null;
  if (!oidc && e.CONVOY_LOCAL_LOGIN === "off")
    throw new Error(
      "CONVOY_LOCAL_LOGIN=off needs single sign-on configured (CONVOY_OIDC_ISSUER …), or nobody can sign in",
    );
  cached = { raw, value: { localLogin: e.CONVOY_LOCAL_LOGIN === "on", oidc } };
  return cached.value;
}

/** Pure: the highest role any of the user's groups maps to, or null when none is mapped. */
export function roleForGroups(groups: readonly string[], map: Record<string, Role>): Role | null {
  let best: Role | null = null;
  for (const g of groups) {
    const r = Object.hasOwn(map, g) ? map[g] : undefined;
    if (r && (!best || hasRole(r, best))) best = r;
  }
  return best;
}

/** The groups claim as a list of names: an array of strings, or one string; anything else is none. */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const v = claims[claim];
  if (typeof v === "string") return [v];
  return Array.isArray(v) ? v.filter((g): g is string => typeof g === "string").slice(0, 1000) : [];
}
