"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import { fleet } from "@/lib/schemas/wire";
import { fetchJson } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { AddHostForm } from "./add-host-form";
import { HostKeyCard } from "./host-key-card";
import { ImportInventoryForm } from "./import-inventory-form";
import { displayName } from "@/lib/format";

export function HostAdmin({ isAdmin }: { isAdmin: boolean }) {
  const { data: hosts = [] } = useQuery({
    queryKey: queryKeys.fleet,
    queryFn: () => fetchJson("/api/fleet", fleet),
    refetchInterval: 5_000,
  });
  const needsAttention = hosts.filter((h) => h.status === "pending_key" || h.lastErrorKind === "host-key");

  return (
    <div className="space-y-8">
      <h1 className="text-xl font-semibold">Hosts</h1>
      {!isAdmin && (
        <Alert tone="info">
          Adding hosts, confirming host keys and importing inventories needs the <b>admin</b> role. You can read
          everything here.
        </Alert>
      )}
      {needsAttention.length > 0 && (
        <section aria-labelledby="keys-heading" className="space-y-3">
          <h2 id="keys-heading" className="text-sm font-semibold uppercase tracking-wide text-amber-300">
            Host keys needing a decision ({needsAttention.length})
          </h2>
          {needsAttention.map((h) => (
            <HostKeyCard key={h.id} host={h} isAdmin={isAdmin} />
          ))}
        </section>
      )}
      {isAdmin && (
        <div className="grid gap-8 lg:grid-cols-2">
          <AddHostForm />
          <ImportInventoryForm />
        </div>
      )}
      <section aria-labelledby="all-hosts-heading">
        <h2 id="all-hosts-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-400">
          Registered hosts ({hosts.length})
        </h2>
        <ul className="divide-y divide-slate-800 rounded border border-slate-800 text-sm">
          {hosts.map((h) => (
            <li key={h.id} className="flex flex-wrap gap-4 px-3 py-2" data-host-row={h.name}>
              <Link href={`/hosts/${h.id}`} className="w-40 font-medium text-sky-300 hover:underline">
                {displayName(h.name)}
              </Link>
              <span className="w-48 text-slate-400">
                {h.address}:{h.port}
              </span>
              <span className="w-28">{h.status}</span>
              <span className="font-mono text-xs text-slate-400">{h.hostKeyFingerprint ?? "no pinned key"}</span>
            </li>
          ))}
          {hosts.length === 0 && <li className="px-3 py-2 text-slate-400">No hosts registered.</li>}
        </ul>
      </section>
    </div>
  );
}
