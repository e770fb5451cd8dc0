import "server-only";
import http from "node:http";
import https from "node:https";
import { guardedLookup } from "@/lib/alerts/post";
import { type AllowList, forbiddenAddress, urlHost } from "@/lib/net/outbound-address";

// A fetch for requests Convoy makes to a configured server (the identity provider's discovery,
// token, keys and userinfo endpoints): same address policy as webhooks — every address a name
// resolves to is checked inside the socket's lookup — with a timeout, a size cap and no redirects.

export class BlockedRequest extends Error {
  override name = "BlockedRequest";
}

type FetchInit = {
  method?: string;
  headers?: Record<string, string> | Headers;
  body?: unknown;
  signal?: AbortSignal | null;
};

const MAX_BODY = 1024 * 1024;

function bodyOf(body: unknown): string | Buffer | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  if (body instanceof URLSearchParams) return body.toString();
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new TypeError("unsupported request body");
}

export function guardedFetch(allow: AllowList, timeoutMs = 10_000) {
  return (input: string | URL, init: FetchInit = {}): Promise<Response> => {
    const url = new URL(input);
    const host = urlHost(url);
    if (url.protocol !== "http:" && url.protocol !== "https:")
      return Promise.reject(new BlockedRequest(`${url.protocol} is not fetched`));
    // An IP literal skips the lookup: judge it here.
    if (/^[\d.]+$|:/.test(host) && forbiddenAddress(host, allow))
      return Promise.reject(new BlockedRequest(`${host} is an internal address`));
    const body = bodyOf(init.body);
    const headers = Object.fromEntries(new Headers(init.headers ?? {}).entries());
    const request = url.protocol === "https:" ? https.request : http.request;
    return new Promise((resolve, reject) => {
      const req = request(url, {
        method: init.method ?? "GET",
        headers,
        lookup: guardedLookup(allow),
        agent: false,
        timeout: timeoutMs,
      });
      const fail = (e: Error) => {
        req.destroy();
        reject(e.name === "BlockedAddress" ? new BlockedRequest(e.message) : e);
      };
      req.on("timeout", () => fail(new Error(`${url.origin} did not answer in ${timeoutMs} ms`)));
      req.on("error", fail);
      init.signal?.addEventListener("abort", () => fail(new Error("aborted")));
      req.on("response", (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) fail(new Error(`${url.origin} answered more than ${MAX_BODY} bytes`));
          else chunks.push(c);
        });
        res.on("error", fail);
        res.on("end", () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(", ") : v);
          const status = res.statusCode ?? 502;
          const noBody = status === 204 || status === 304;
          resolve(
            new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers: h }),
          );
        });
      });
      req.end(body);
    });
  };
}
