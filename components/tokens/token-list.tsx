"use client";

import { type ColumnDef, createColumnHelper } from "@tanstack/react-table";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
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

type Row = TokenItem & { state: "active" | "expired" | "revoked" };
const col = createColumnHelper<Row>();
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace("T", " ") : "never");

const OWNER = col.accessor("owner", {
  header: "Owner",
  cell: ({ row: { original: t } }) => `${displayName(t.owner)}${t.serviceAccount ? " (service account)" : ""}`,
});

/** API tokens with their state; live ones can be revoked (at once: the next call is refused). */
export function TokenList({ tokens, showOwner }: { tokens: TokenItem[]; showOwner: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const now = Date.now();
  const rows: Row[] = tokens.map((t) => ({
    ...t,
    state: t.revokedAt ? "revoked" : new Date(t.expiresAt).getTime() <= now ? "expired" : "active",
  }));
  // biome-ignore lint/suspicious/noExplicitAny: a column's value type differs per column
  const columns: ColumnDef<Row, any>[] = [
    col.accessor("name", { header: "Name", cell: (c) => displayName(c.getValue()) }),
    ...(showOwner ? [OWNER] : []),
    col.accessor("role", { header: "Role" }),
    col.accessor("prefix", { header: "Token", cell: (c) => `${c.getValue()}…`, meta: { className: "font-mono" } }),
    col.accessor("expiresAt", { header: "Expires", cell: (c) => day(c.getValue()) }),
    col.accessor("lastUsedAt", { header: "Last used", cell: (c) => day(c.getValue()) }),
    col.accessor("state", { header: "State" }),
    col.display({
      id: "revoke",
      header: () => <span className="sr-only">Revoke</span>,
      cell: ({ row: { original: t } }) =>
        t.state === "active" && (
          <Button
            variant="secondary"
            disabled={pending}
            aria-label={`Revoke ${t.name}`}
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
        ),
    }),
  ];
  return (
    <div className="space-y-2">
      <DataTable
        data={rows}
        columns={columns}
        getRowId={(t) => t.id}
        label="API tokens"
        empty="No API tokens yet."
        rowAttributes={(t) => ({ "data-token": t.name })}
        density="compact"
      />
      {error && <Alert>{error}</Alert>}
    </div>
  );
}
