import { z } from "zod";
import { lineText } from "./text";

/**
 * An admin's TCP check of a VM's service after each landing: "host:port" (a name, IPv4 or
 * [IPv6]), or empty to remove it. Checked from the worker (lib/migration-ops/guest-health.ts).
 */
export const serviceCheckInput = z.object({
  vmUuid: z.string().uuid(),
  vmName: lineText(1, 200),
  target: z
    .string()
    .trim()
    .max(300)
    .refine((t) => t === "" || parseServiceTarget(t) !== null, "host:port, e.g. 10.0.0.5:443 or [2001:db8::5]:22"),
});

export function parseServiceTarget(t: string): { host: string; port: number } | null {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]{1,253})):(\d{1,5})$/.exec(t.trim());
  const port = Number(m?.[3]);
  const host = m?.[1] ?? m?.[2];
  return host && port >= 1 && port <= 65535 ? { host, port } : null;
}
