import "server-only";
import { timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";

/**
 * A scraper's `Authorization: Bearer <CONVOY_METRICS_TOKEN>`. Without a configured token no bearer
 * is accepted (the web endpoint then needs an admin session; the worker's is loopback-only).
 */
export function bearerAllowed(authorization: string | null | undefined): boolean {
  const token = env().CONVOY_METRICS_TOKEN;
  const m = /^Bearer (.+)$/.exec(authorization ?? "");
  if (!token || !m?.[1]) return false;
  const a = Buffer.from(m[1]);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const EXPOSITION = "text/plain; version=0.0.4; charset=utf-8";
