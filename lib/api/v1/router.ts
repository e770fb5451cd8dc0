import "server-only";
import type { NextRequest } from "next/server";
import { authenticate } from "@/lib/api/authenticate";
import type { Endpoint } from "@/lib/api/endpoint";
import { notFound, problemResponse } from "@/lib/api/problem";
import { V1_ENDPOINTS } from "@/lib/api/v1/index";

const PREFIX = "/api/v1";

type Compiled = { endpoint: Endpoint; re: RegExp; names: string[] };
const compiled: Compiled[] = V1_ENDPOINTS.map((endpoint) => {
  const names: string[] = [];
  const re = endpoint.path.replace(/[.]/g, "\\.").replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { endpoint, re: new RegExp(`^${re}$`), names };
});

/**
 * Dispatches /api/v1/* to its endpoint. A path no endpoint has is still authenticated first
 * (anonymous → 401), so the API's shape is not told to strangers; then 404 or 405.
 */
export async function dispatchV1(req: NextRequest): Promise<Response> {
  const path = new URL(req.url).pathname.slice(PREFIX.length) || "/";
  const method = req.method.toLowerCase();
  let pathKnown = false;
  for (const c of compiled) {
    const m = c.re.exec(path);
    if (!m) continue;
    pathKnown = true;
    if (c.endpoint.method !== method) continue;
    let params: Record<string, string>;
    try {
      params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1] ?? "")]));
    } catch {
      params = {};
    }
    return c.endpoint.handle(req, params);
  }
  const caller = await authenticate(req, "viewer", "api.v1.unknown");
  if (caller instanceof Response) return caller;
  if (pathKnown)
    return problemResponse({
      status: 405,
      code: "INVALID",
      error: "method not allowed",
      detail: `${req.method} is not allowed here.`,
    });
  return notFound("No such API endpoint.");
}
