import "server-only";
import { env } from "@/lib/env";

/**
 * The address a request came from, for sign-in throttling. The web server (scripts/web-server.ts)
 * sets X-Forwarded-For to the socket's address, whatever the client sent. Behind
 * CONVOY_TRUSTED_PROXY_HOPS=N reverse proxies it keeps the header: each proxy appended the address
 * it saw, so the client is the N-th entry from the right; anything further left was written by the
 * client and is ignored.
 */
export function clientAddress(headers: Headers, hops = env().CONVOY_TRUSTED_PROXY_HOPS): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const addr = chain[Math.max(0, chain.length - Math.max(hops, 1))] ?? "unknown";
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is the same client as 10.0.0.1.
  return addr.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").slice(0, 64);
}

/** The caller's address in a server action; "local" for calls made outside any HTTP request (scripts, tests). */
export async function requestClientAddress(): Promise<string> {
  const { headers } = await import("next/headers");
  let h: Headers;
  try {
    h = await headers();
  } catch {
    return "local";
  }
  return clientAddress(h);
}
