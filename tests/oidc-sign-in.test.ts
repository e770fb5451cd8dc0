// Single sign-on against a real OpenID Connect provider (oidc-provider, scripts/lib/test-idp.ts),
// real Postgres and Convoy's real route handlers: the browser's part (following redirects, the
// IdP's sign-in form) is played with fetch. Groups map to roles; users are linked by issuer +
// subject only; a wrong state, a missing cookie and tampered, expired or foreign ID tokens
// (rewritten in the IdP's token answer) are refused; the IdP is an outbound request under the
// address policy.
import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestIdp, type TestIdp, type TestIdpUser } from "@/scripts/lib/test-idp";

const { db } = await import("@/lib/db/client");
const { userForToken } = await import("@/lib/auth/session");
const { GET: startRoute } = await import("@/app/api/auth/oidc/login/route");
const { GET: callbackRoute } = await import("@/app/api/auth/oidc/callback/route");
const { loginAction } = await import("@/lib/actions/auth");
const { hashPassword } = await import("@/lib/auth/password");

const CONVOY = "http://127.0.0.1:3999";
const CALLBACK = `${CONVOY}/api/auth/oidc/callback`;
const tag = randomUUID().slice(0, 6);
const users: Record<string, TestIdpUser> = {
  ada: { password: "ada-pw", name: "Ada Admin", preferredUsername: `ada-${tag}`, groups: ["convoy-admins", "staff"] },
  olaf: { password: "olaf-pw", name: "Olaf Operator", preferredUsername: `olaf-${tag}`, groups: ["noc"] },
  nina: { password: "nina-pw", name: "Nina Nogroup", preferredUsername: `nina-${tag}`, groups: ["marketing"] },
  // Same name as a local admin: must get an account of its own, never the local one.
  mallory: { password: "mallory-pw", name: "Mallory", preferredUsername: `local-admin-${tag}`, groups: ["noc"] },
};
let idp: TestIdp;

beforeAll(async () => {
  idp = await startTestIdp({ redirectUris: [CALLBACK], postLogoutUris: [`${CONVOY}/login`], users });
  Object.assign(process.env, {
    CONVOY_OIDC_ISSUER: idp.issuer,
    CONVOY_OIDC_CLIENT_ID: idp.clientId,
    CONVOY_OIDC_CLIENT_SECRET: idp.clientSecret,
    CONVOY_OIDC_REDIRECT_URL: CALLBACK,
    CONVOY_OIDC_NAME: "Test IdP",
    CONVOY_OIDC_SCOPES: "openid profile groups",
    CONVOY_OIDC_ROLE_MAP: JSON.stringify({ "convoy-admins": "admin", noc: "operator" }),
    CONVOY_OIDC_NO_GROUP: "viewer",
    CONVOY_OIDC_ALLOW: "127.0.0.1",
  });
});
afterAll(async () => {
  await idp?.stop();
  await db.$disconnect();
});

/** A browser's cookie jar, by name (the flows here are sequential). */
class Jar {
  private cookies = new Map<string, string>();
  take(res: Response) {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair?.indexOf("=") ?? -1;
      if (pair && i > 0) this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
    }
  }
  header = () => [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  get = (name: string) => this.cookies.get(name);
}

/** Convoy's start route, then the IdP until it redirects to Convoy's callback: returns that URL and the pending cookie. */
async function toCallback(sub: string, next = "/hosts"): Promise<{ callback: URL; pending: string }> {
  const start = await startRoute(new Request(`${CONVOY}/api/auth/oidc/login?next=${encodeURIComponent(next)}`));
  expect(start.status).toBe(303);
  const pending = /convoy_oidc=([^;]+)/.exec(start.headers.get("set-cookie") ?? "")?.[1] ?? "";
  expect(pending).not.toBe("");
  const jar = new Jar();
  let url = new URL(start.headers.get("location") ?? "");
  let init: RequestInit = {};
  for (let hop = 0; hop < 12; hop++) {
    if (url.href.startsWith(CALLBACK)) return { callback: url, pending };
    const res = await fetch(url, {
      ...init,
      redirect: "manual",
      headers: { ...(init.headers as object), cookie: jar.header() },
    });
    jar.take(res);
    init = {};
    const location = res.headers.get("location");
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) throw new Error(`IdP page without a form: ${html.slice(0, 300)}`);
    url = new URL(action, url);
    init = {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ username: sub, password: users[sub]?.password ?? "" }).toString(),
    };
  }
  throw new Error("the IdP never redirected to the callback");
}

async function callback(url: URL, pending: string | undefined) {
  const res = await callbackRoute(
    new NextRequest(url, { headers: pending ? { cookie: `convoy_oidc=${pending}` } : {} }),
  );
  const session = /convoy_session=([^;]+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];
  return {
    res,
    session,
    refused: res.headers.get("location")?.replace(CONVOY, "") ?? null,
    user: session ? await userForToken(session) : null,
  };
}

const signIn = async (sub: string) => {
  const { callback: url, pending } = await toCallback(sub);
  return callback(url, pending);
};

const lastAudit = () => db.auditLog.findFirstOrThrow({ where: { action: "auth.sso-login" }, orderBy: { id: "desc" } });

describe("single sign-on through a real OpenID Connect provider", () => {
  it("maps groups to roles, creates users on first sign-in and audits the identity", async () => {
    const ada = await signIn("ada");
    expect(ada.res.status).toBe(200);
    expect(await ada.res.text()).toContain('url=/hosts"');
    expect(ada.user).toMatchObject({ username: `ada-${tag}`, role: "admin" });
    const row = await lastAudit();
    expect(row).toMatchObject({ result: "ok", actorName: `ada-${tag}`, actorRole: "admin" });
    expect(row.after).toMatchObject({
      issuer: idp.issuer,
      subject: "ada",
      displayName: "Ada Admin",
      role: "admin",
      created: true,
    });

    expect((await signIn("olaf")).user).toMatchObject({ role: "operator" });
    expect((await signIn("nina")).user).toMatchObject({ role: "viewer" }); // CONVOY_OIDC_NO_GROUP=viewer
  });

  it("re-evaluates the role at each sign-in, on the same linked user", async () => {
    const first = await signIn("olaf");
    users.olaf = { ...(users.olaf as TestIdpUser), groups: ["convoy-admins"] };
    const second = await signIn("olaf");
    expect(second.user).toMatchObject({ id: first.user?.id, role: "admin" });
    // The role lives on the user: the earlier session is an admin's now too.
    expect(await userForToken(first.session)).toMatchObject({ role: "admin" });
  });

  it("with CONVOY_OIDC_NO_GROUP=refuse, a user in no mapped group is refused and their sessions end", async () => {
    const before = await signIn("nina");
    expect(before.user).not.toBeNull();
    process.env.CONVOY_OIDC_NO_GROUP = "refuse";
    try {
      const refused = await signIn("nina");
      expect(refused.session).toBeUndefined();
      expect(refused.refused).toBe("/login?sso=no-role");
      expect(await userForToken(before.session)).toBeNull();
      expect(await lastAudit()).toMatchObject({
        result: "denied",
        error: "in no group that maps to a role",
        targetId: "nina",
      });
    } finally {
      process.env.CONVOY_OIDC_NO_GROUP = "viewer";
    }
  });

  it("links by issuer + subject, never by name: an IdP user named like a local admin gets an account of its own", async () => {
    const local = await db.user.create({
      data: { username: `local-admin-${tag}`, role: "admin", passwordHash: await hashPassword("ignored-here-123") },
    });
    const mallory = await signIn("mallory");
    expect(mallory.user?.id).not.toBe(local.id);
    expect(mallory.user?.username).toMatch(new RegExp(`^local-admin-${tag}-[0-9a-f]{6}$`));
    expect(mallory.user?.role).toBe("operator");
    expect(await db.user.findUniqueOrThrow({ where: { id: local.id } })).toMatchObject({
      role: "admin",
      passwordHash: local.passwordHash,
    });
    expect(await db.oidcIdentity.count({ where: { userId: local.id } })).toBe(0);
  });

  it("refuses a disabled user", async () => {
    const ada = await signIn("ada");
    await db.user.update({ where: { id: ada.user?.id }, data: { disabled: true } });
    expect((await signIn("ada")).refused).toBe("/login?sso=disabled");
    await db.user.update({ where: { id: ada.user?.id }, data: { disabled: false } });
  });
});

describe("forged answers are refused", () => {
  it("a wrong state, or a callback without this browser's cookie (login CSRF)", async () => {
    const { callback: url, pending } = await toCallback("olaf");
    const forged = new URL(url);
    forged.searchParams.set("state", "attacker-state");
    const wrongState = await callback(forged, pending);
    expect(wrongState.refused).toBe("/login?sso=refused");
    expect((await lastAudit()).error).toMatch(/state/);
    // The IdP's real answer, but in another browser (no pending cookie).
    expect((await callback(url, undefined)).refused).toBe("/login?sso=refused");
    expect((await lastAudit()).error).toMatch(/cookie missing/);
  });

  /** Signs in as olaf with the token endpoint's ID token rewritten by `change`. */
  const withIdToken = async (change: (claims: Record<string, unknown>, token: string) => string) => {
    idp.onTokenResponse = (body) => {
      const token = String(body.id_token);
      const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString()) as Record<
        string,
        unknown
      >;
      return { ...body, id_token: change(claims, token) };
    };
    try {
      return await signIn("olaf");
    } finally {
      idp.onTokenResponse = null;
    }
  };

  it("re-signed with the IdP's key and the same claims: accepted (so the refusals below are the claims')", async () => {
    expect((await withIdToken((claims) => idp.sign(claims))).user).toMatchObject({ username: `olaf-${tag}` });
  });

  it("tampered, expired, for another client or another sign-in: refused, audited", async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, (c: Record<string, unknown>, t: string) => string, RegExp][] = [
      [
        "payload changed, signature kept",
        (c, t) =>
          t.replace(/\.[^.]+\./, `.${Buffer.from(JSON.stringify({ ...c, sub: "ada" })).toString("base64url")}.`),
        /signature/i,
      ],
      ["expired", (c) => idp.sign({ ...c, iat: now - 7200, exp: now - 3600 }), /exp/i],
      ["another audience", (c) => idp.sign({ ...c, aud: "someone-else" }), /aud/i],
      ["another nonce", (c) => idp.sign({ ...c, nonce: "replayed" }), /nonce/i],
      ["another issuer", (c) => idp.sign({ ...c, iss: "https://evil.example" }), /iss/i],
    ];
    for (const [what, change, reason] of cases) {
      const r = await withIdToken(change);
      expect(r.session, what).toBeUndefined();
      expect(r.refused, what).toBe("/login?sso=refused");
      const row = await lastAudit();
      expect(row.result, what).toBe("denied");
      expect(row.error, what).toMatch(reason);
    }
  });
});

describe("configuration", () => {
  it("the IdP is an outbound request: on 127.0.0.1 it is refused unless CONVOY_OIDC_ALLOW names it", async () => {
    process.env.CONVOY_OIDC_ALLOW = ""; // a new configuration: discovered again
    try {
      const before = idp.requests();
      const res = await startRoute(new Request(`${CONVOY}/api/auth/oidc/login`));
      expect(res.headers.get("location")).toBe(`${CONVOY}/login?sso=unavailable`);
      expect(idp.requests()).toBe(before);
    } finally {
      process.env.CONVOY_OIDC_ALLOW = "127.0.0.1";
    }
  });

  it("CONVOY_LOCAL_LOGIN=off refuses password sign-in", async () => {
    await db.user.create({
      data: {
        username: `breakglass-${tag}`,
        role: "admin",
        passwordHash: await hashPassword("glass-breaks-at-dawn-7"),
      },
    });
    process.env.CONVOY_LOCAL_LOGIN = "off";
    try {
      expect(await loginAction({ username: `breakglass-${tag}`, password: "glass-breaks-at-dawn-7" })).toMatchObject({
        ok: false,
        code: "FORBIDDEN",
      });
    } finally {
      process.env.CONVOY_LOCAL_LOGIN = "on";
    }
  });

  it("a user of the IdP has no password: local sign-in with their name fails", async () => {
    const r = await loginAction({ username: `olaf-${tag}`, password: "olaf-pw" });
    expect(r).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
  });
});
