import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import type { DeliveryFailure } from "@/lib/alerts/types";
import { type AllowList, forbiddenAddress, urlHost, webhookAllowList } from "@/lib/net/outbound-address";

export { type DeliveryFailure, shownDeliveryError } from "@/lib/alerts/types";

// POSTs a webhook to an address checked at connect time: the URL was checked when saved, but a
// name can resolve elsewhere by now (DNS rebinding), so every address it resolves to is checked
// again inside the socket's own lookup — the connection goes to the address that was checked.

class BlockedAddress extends Error {
  override name = "BlockedAddress";
}

/** dns.lookup that refuses the whole name when any of its addresses is not allowed. */
export function guardedLookup(allow: AllowList, resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      const bad = addresses.find((a) => forbiddenAddress(a.address, allow));
      if (bad || addresses.length === 0)
        return callback(new BlockedAddress(`${hostname} resolves to a refused address`), "", 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

export function categorize(err: unknown, timedOut: boolean): DeliveryFailure {
  if (timedOut) return "timeout";
  if (err instanceof BlockedAddress) return "blocked address";
  const code = String((err as { code?: unknown })?.code ?? "");
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ETIMEDOUT") return "timeout";
  if (/^(ENOTFOUND|EAI_)/.test(code)) return "dns";
  if (code === "EPROTO" || /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET/.test(code)) return "tls"; // EPROTO: no TLS on the other end
  return "connection failed";
}

export type PostOptions = { timeoutMs: number; allow?: AllowList; lookup?: typeof dnsLookup };

/** null when the receiver answered 2xx; otherwise the failure's category. Redirects are not followed. */
export function postJson(url: string, body: string, o: PostOptions): Promise<DeliveryFailure | null> {
  const allow = o.allow ?? webhookAllowList() ?? [];
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return Promise.resolve("connection failed");
  }
  // An IP literal skips the lookup: judge it here.
  const host = urlHost(target);
  if (/^[\d.]+$|:/.test(host) && forbiddenAddress(host, allow)) return Promise.resolve("blocked address");
  if (target.protocol !== "http:" && target.protocol !== "https:") return Promise.resolve("connection failed");
  const request = target.protocol === "https:" ? https.request : http.request;
  return new Promise((resolve) => {
    let timedOut = false;
    const req = request(target, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "convoy-alerts/1",
        "content-length": Buffer.byteLength(body),
      },
      lookup: guardedLookup(allow, o.lookup),
      agent: false,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy();
    }, o.timeoutMs);
    req.on("response", (res) => {
      clearTimeout(timer);
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? null : `HTTP ${status}`);
    });
    req.on("error", (err) => {
      clearTimeout(timer);
      resolve(categorize(err, timedOut));
    });
    req.end(body);
  });
}
