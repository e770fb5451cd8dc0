"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { revokeTokenAction } from "@/lib/actions/tokens";
import { displayName } from "@/lib/format";

export type TokenItem = {
  id: string;
  name: string;
  role: string;
  prefix: string;
  owner: string;
  serviceAccount: boolean;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "never");

/** API tokens with their state; live ones can be revoked (at once: the next call is refused). */
export function TokenList({ tokens, showOwner }: { tokens: TokenItem[]; showOwner: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const now = Date.now();
  if (!tokens.length) return <p className="text-sm text-slate-400">No API tokens yet.</p>;
  return (
    <div className="space-y-2">
      <table className="w-full text-left text-sm">
        <thead className="text-slate-400">
          <tr>
            <th className="py-1">Name</th>
            {showOwner && <th>Owner</th>}
            <th>Role</th>
            <th>Token</th>
            <th>Expires</th>
            <th>Last used</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-800">
          {tokens.map((t) => {
            const state = t.revokedAt ? "revoked" : new Date(t.expiresAt).getTime() <= now ? "expired" : "active";
            return (
              <tr key={t.id} data-token={t.name}>
                <td className="py-1">{displayName(t.name)}</td>
                {showOwner && (
                  <td>
                    {displayName(t.owner)}
                    {t.serviceAccount ? " (service account)" : ""}
                  </td>
                )}
                <td>{t.role}</td>
                <td className="font-mono">{t.prefix}…</td>
                <td>{day(t.expiresAt)}</td>
                <td>{day(t.lastUsedAt)}</td>
                <td>{state}</td>
                <td>
                  {state === "active" && (
                    <Button
                      variant="secondary"
                      disabled={pending}
                      onClick={() =>
                        start(async () => {
                          const res = await revokeTokenAction({ tokenId: t.id });
                          if (!res.ok) setError(res.message);
                          router.refresh();
                        })
                      }
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {error && <Alert>{error}</Alert>}
    </div>
  );
}
