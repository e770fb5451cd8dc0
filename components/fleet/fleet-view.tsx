"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { fleet } from "@/lib/schemas/wire";
import { fetchJson } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { HostsTable } from "./hosts-table";
import { VmsTable } from "./vms-table";

export function FleetView() {
  const router = useRouter();
  const params = useSearchParams();
  const filter = params.get("q") ?? "";
  const { data, error, dataUpdatedAt } = useQuery({
    queryKey: queryKeys.fleet,
    queryFn: () => fetchJson("/api/fleet", fleet),
    refetchInterval: 5_000,
  });
  const hosts = data ?? [];
  const needle = filter.toLowerCase();
  const vms = hosts
    .flatMap((h) => h.vms.map((v) => ({ ...v, hostName: h.name, hostId: h.id })))
    .filter((v) => !needle || v.name.toLowerCase().includes(needle) || v.hostName.toLowerCase().includes(needle));

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-4">
        <div>
          <h1 className="text-xl font-semibold">Fleet</h1>
          <p className="text-sm text-slate-400">
            {hosts.length} hosts · {hosts.reduce((n, h) => n + h.vmCount, 0)} VMs ·{" "}
            {hosts.filter((h) => !h.reachable && h.status !== "pending_key").length} unreachable
            {dataUpdatedAt ? ` · updated ${new Date(dataUpdatedAt).toLocaleTimeString()}` : ""}
          </p>
        </div>
        <label className="ml-auto text-sm">
          <span className="sr-only">Filter</span>
          <input
            type="search"
            placeholder="Filter VMs or hosts…"
            defaultValue={filter}
            onChange={(e) => {
              const q = e.currentTarget.value;
              router.replace(q ? `/?q=${encodeURIComponent(q)}` : "/", { scroll: false });
            }}
            className="w-64 rounded border border-slate-600 bg-slate-900 px-2 py-1.5"
          />
        </label>
      </div>
      {error && <Alert>Could not refresh the fleet: {error.message}. Showing the last data.</Alert>}
      {hosts.length === 0 && !error ? (
        <Alert tone="info">
          No hypervisors yet. An admin can add them on the Hosts page, one by one or from an inventory file.
        </Alert>
      ) : (
        <>
          <HostsTable hosts={hosts} />
          <VmsTable vms={vms} />
        </>
      )}
    </div>
  );
}
