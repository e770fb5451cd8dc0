// Which addresses Convoy's outbound requests (webhooks) may reach. Pure and browser-safe: the
// window form's schema uses it, the delivery re-checks every resolved address with it.
//
// Only globally routable unicast is allowed: ipaddr.js classifies loopback, private (RFC 1918),
// link-local (169.254.169.254, the cloud metadata address), carrier-grade NAT, unique-local
// (fc00::/7), unspecified (0.0.0.0, ::), multicast, broadcast, documentation/benchmark ranges and
// the IPv6 forms that embed an IPv4 address (mapped ::ffff:a.b.c.d is judged as that IPv4; NAT64,
// 6to4, Teredo and the deprecated IPv4-compatible ::a.b.c.d are refused outright). Decimal, octal,
// hex and short spellings (2130706433, 0x7f.1, 0177.0.0.1, 127.1) need no care of their own: the
// WHATWG URL parser turns every one into the dotted form before anything here sees it.
import ipaddr from "ipaddr.js";

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];
export type AllowList = readonly Cidr[];

/**
 * `CONVOY_WEBHOOK_ALLOW`: addresses or CIDRs, comma- or space-separated, that an admin lets
 * webhooks reach although they are internal (`127.0.0.1,10.0.0.0/8,fd00::/8`). Throws on a bad entry.
 */
export function parseAllowList(text: string | undefined): AllowList {
  return (text ?? "")
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry): Cidr => {
      if (entry.includes("/")) return ipaddr.parseCIDR(entry);
      const a = ipaddr.parse(entry);
      return [a, a.kind() === "ipv4" ? 32 : 128];
    });
}

let cached: { raw: string | undefined; list: AllowList } | undefined;

/**
 * The allow-list of this server process, or null in the browser: the form cannot know it, so it
 * leaves addresses to the server action (which answers field by field) instead of guessing.
 */
export function webhookAllowList(): AllowList | null {
  if (typeof window !== "undefined") return null;
  const raw = typeof process === "undefined" ? undefined : process.env.CONVOY_WEBHOOK_ALLOW;
  if (cached && cached.raw === raw) return cached.list;
  const list = parseAllowList(raw);
  cached = { raw, list };
  return list;
}

/** Why `ip` may not be reached (its range: "loopback", "private", …), or null when it may. */
export function forbiddenAddress(ip: string, allow: AllowList): string | null {
  if (!ipaddr.isValid(ip)) return "not an IP address";
  const addr = ipaddr.process(ip); // ::ffff:127.0.0.1 → 127.0.0.1
  if (allow.some(([net, bits]) => addr.kind() === net.kind() && addr.match(net, bits))) return null;
  if (addr.kind() === "ipv6" && (addr as ipaddr.IPv6).parts.slice(0, 6).every((p) => p === 0)) return "ipv4Compatible";
  const range = addr.range();
  return range === "unicast" ? null : range;
}

/** The URL's host without IPv6 brackets (already normalised by the URL parser). */
export function urlHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

/**
 * What a saved webhook URL is refused for, or null. IP literals are judged now; `localhost` names
 * (RFC 6761: always loopback) as 127.0.0.1; other names only resolve at connect time, where every
 * address they resolve to is checked again (so DNS rebinding cannot get round this).
 */
export function forbiddenUrlTarget(url: string, allow: AllowList): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return "not a URL";
  }
  const host = urlHost(u);
  if (/(^|\.)localhost\.?$/i.test(host)) return forbiddenAddress("127.0.0.1", allow);
  return ipaddr.isValid(host) ? forbiddenAddress(host, allow) : null;
}

/** Scheme, host and port only, for pages and logs: webhook paths often carry a secret (Slack's do), credentials always. */
export function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
}
