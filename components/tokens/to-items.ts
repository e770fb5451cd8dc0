import type { TokenItem } from "@/components/tokens/token-list";
import type { TokenRow } from "@/lib/db/api-tokens";

/** Token rows as plain props for the client list (dates as ISO strings). */
export function toTokenItems(rows: TokenRow[]): TokenItem[] {
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    role: t.role,
    prefix: t.prefix,
    owner: t.user.username,
    serviceAccount: t.user.serviceAccount,
    createdAt: t.createdAt.toISOString(),
    expiresAt: t.expiresAt.toISOString(),
    lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    revokedAt: t.revokedAt?.toISOString() ?? null,
  }));
}
