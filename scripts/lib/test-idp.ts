// A real OpenID Connect provider (oidc-provider) for the tests: users with passwords and groups, a
// sign-in form, consent granted automatically, RP-initiated logout. The e2e stack starts one
// (scripts/e2e-server.ts); integration tests start their own and may rewrite its token answers
// (`onTokenResponse`) to hand Convoy forged ID tokens signed with the IdP's real key (`sign`).
import { createSign, generateKeyPairSync, type JsonWebKey } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type KoaContextWithOIDC } from "oidc-provider";

export type TestIdpUser = { password: string; name: string; preferredUsername: string; groups: string[] };
export type TestIdp = {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Rewrites the token endpoint's JSON answer (null: pass it through). */
  onTokenResponse: ((body: Record<string, unknown>) => Record<string, unknown>) | null;
  /** Signs claims as the IdP would (RS256 with its real key), for forged-but-valid-signature tokens. */
  sign: (claims: Record<string, unknown>) => string;
  /** How many HTTP requests reached the IdP so far. */
  requests: () => number;
  stop: () => Promise<void>;
};

const b64url = (v: string | Buffer) => Buffer.from(v).toString("base64url");
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title: string, body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>`;

export async function startTestIdp(o: {
  port?: number;
  redirectUris: string[];
  postLogoutUris: string[];
  users: Record<string, TestIdpUser>;
}): Promise<TestIdp> {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(o.port ?? 0, "127.0.0.1", r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = { ...privateKey.export({ format: "jwk" }), kid: "test-idp-1", alg: "RS256", use: "sig" } as JsonWebKey & {
    kid: string;
  };
  const clientId = "convoy";
  const clientSecret = "test-idp-secret-not-for-production";

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: o.redirectUris,
        post_logout_redirect_uris: o.postLogoutUris,
        response_types: ["code"],
        grant_types: ["authorization_code"],
      },
    ],
    jwks: { keys: [jwk as never] },
    claims: { openid: ["sub"], profile: ["name", "preferred_username"], groups: ["groups"] },
    scopes: ["openid", "profile", "groups"],
    pkce: { required: () => true },
    cookies: { keys: ["test-idp-cookie-key-0123456789"] },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx, form) => {
          ctx.body = page(
            "Sign out of Test IdP?",
            `${form}<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>`,
          );
        },
      },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const u = o.users[sub];
      return u
        ? {
            accountId: sub,
            claims: () => ({ sub, name: u.name, preferred_username: u.preferredUsername, groups: u.groups }),
          }
        : undefined;
    },
  });

  const idp: TestIdp = {
    issuer,
    clientId,
    clientSecret,
    onTokenResponse: null,
    sign: (claims) => {
      const input = `${b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: jwk.kid }))}.${b64url(JSON.stringify(claims))}`;
      return `${input}.${createSign("RSA-SHA256").update(input).sign(privateKey).toString("base64url")}`;
    },
    requests: () => served,
    stop: () => new Promise((r) => server.close(() => r())),
  };
  let served = 0;
  provider.use(async (ctx: KoaContextWithOIDC, next: () => Promise<void>) => {
    await next();
    if (ctx.path === "/token" && ctx.status === 200 && idp.onTokenResponse)
      ctx.body = idp.onTokenResponse(ctx.body as Record<string, unknown>);
  });

  const oidcHandler = provider.callback();
  server.on("request", (req, res) => {
    served++;
    const m = /^\/interaction\/([\w-]+)(\/login)?$/.exec(req.url ?? "");
    if (!m) return oidcHandler(req, res);
    interaction(provider, o.users, req, res, m[2] === "/login").catch((e) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  return idp;
}

/** The sign-in form (login prompt); consent is granted for whatever was asked. */
async function interaction(
  provider: Provider,
  users: Record<string, TestIdpUser>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  submitted: boolean,
) {
  const details = await provider.interactionDetails(req, res);
  if (details.prompt.name === "login") {
    if (!submitted) {
      res.setHeader("content-type", "text/html; charset=utf-8");
      return res.end(loginForm(details.uid, ""));
    }
    const form = new URLSearchParams(await readBody(req));
    const sub = form.get("username") ?? "";
    if (users[sub]?.password !== form.get("password")) {
      res.setHeader("content-type", "text/html; charset=utf-8");
      return res.end(loginForm(details.uid, "Wrong user name or password."));
    }
    return provider.interactionFinished(req, res, { login: { accountId: sub } }, { mergeWithLastSubmission: false });
  }
  const { missingOIDCScope, missingOIDCClaims } = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
  };
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
  if (!grant) throw new Error("grant vanished");
  if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(" "));
  if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
  return provider.interactionFinished(
    req,
    res,
    { consent: { grantId: await grant.save() } },
    { mergeWithLastSubmission: true },
  );
}

function loginForm(uid: string, error: string): string {
  return page(
    "Test IdP",
    `${error ? `<p role="alert">${esc(error)}</p>` : ""}<form method="post" action="/interaction/${esc(uid)}/login">
<label>IdP user <input name="username" autocomplete="off"></label>
<label>IdP password <input name="password" type="password"></label>
<button type="submit">Continue to Convoy</button></form>`,
  );
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let s = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      s += c;
      if (s.length > 10_000) req.destroy();
    });
    req.on("end", () => resolve(s));
    req.on("error", reject);
  });
}
