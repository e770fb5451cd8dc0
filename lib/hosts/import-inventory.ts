import "server-only";
import { seal } from "@/lib/crypto/secret-box";
import type { AuditedTransaction } from "@/lib/db/audit";
import { recordKeyPin } from "@/lib/db/host-lifecycle";
import { createHost, existingHostNames, requestRefresh } from "@/lib/db/hosts";
import { AppError } from "@/lib/errors";
import { assertUsablePrivateKey } from "@/lib/hosts/private-key";
import { ParseLimitError, parseYamlLimited } from "@/lib/parse/safe-parse";
import { inventoryFile } from "@/lib/schemas/hosts";

export type ImportResult = { created: { name: string; status: string }[] };

/**
 * Parses and validates the whole file first, then creates every host in one transaction, so a
 * malformed file or one clashing name changes nothing. Hosts listed with a fingerprint are pinned
 * (the admin vouches for them); the others wait for key confirmation on the fleet page.
 */
export async function importInventory(
  text: string,
  tx: AuditedTransaction,
  actorName = "system",
): Promise<ImportResult> {
  let raw: unknown;
  try {
    raw = parseYamlLimited(text, "The inventory"); // YAML is a superset of JSON
  } catch (e) {
    if (e instanceof ParseLimitError) throw new AppError("INVALID", e.message);
    throw new AppError("INVALID", `The inventory is not valid YAML or JSON: ${(e as Error).message.split("\n")[0]}`);
  }
  const parsed = inventoryFile.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues.slice(0, 5).map((i) => `${formatPath(i.path)}: ${i.message}`);
    throw new AppError("INVALID", `The inventory has errors — ${first.join("; ")}`);
  }
  const hosts = parsed.data.hosts;
  const names = hosts.map((h) => h.name);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) throw new AppError("INVALID", `Host names appear twice: ${[...new Set(dupes)].join(", ")}`);
  hosts.forEach((h, i) => {
    try {
      assertUsablePrivateKey(h.privateKey);
    } catch (e) {
      throw new AppError("INVALID", `hosts[${i}] (${h.name}): ${(e as Error).message}`);
    }
  });

  const created = await tx(
    async (t) => {
      const existing = await existingHostNames(t, names);
      if (existing.length) throw new AppError("CONFLICT", `Already registered: ${existing.join(", ")}`);
      const out: { name: string; status: string }[] = [];
      for (const h of hosts) {
        const { privateKey, nicGbps, hostKeyFingerprint, ...rest } = h;
        const row = await createHost(t, {
          ...rest,
          privateKeyEnc: seal(privateKey),
          nicBps: BigInt(Math.round((nicGbps * 1e9) / 8)),
          hostKeyFingerprint: hostKeyFingerprint ?? null,
          status: hostKeyFingerprint ? "active" : "pending_key",
        });
        await requestRefresh(t, row.id);
        if (hostKeyFingerprint)
          await recordKeyPin(t, { hostId: row.id, fingerprint: hostKeyFingerprint, previous: null, actorName });
        out.push({ name: row.name, status: row.status });
      }
      return out;
    },
    (out) => ({ targetType: "inventory", after: { hosts: out } }),
  );
  return { created };
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || "(file)";
}
