"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { FleetHost } from "@/lib/schemas/wire";
import { displayName, formatAgo, formatBytes } from "@/lib/format";

const col = createColumnHelper<FleetHost>();
const NUM = "text-right tabular-nums";

const COLUMNS = [
  col.accessor("name", {
    header: "Host",
    cell: ({ row: { original: h } }) => (
      <>
        <Link href={`/hosts/${h.id}`} className="hover:underline">
          {displayName(h.name)}
        </Link>
        <div className="text-xs text-slate-400">
          {h.address}:{h.port}
        </div>
      </>
    ),
    meta: { className: "font-medium" },
  }),
  col.accessor("status", { header: "Status", cell: ({ row }) => <HostStatus host={row.original} /> }),
  col.display({
    id: "versions",
    header: "libvirt / QEMU",
    cell: ({ row: { original: h } }) => `${h.libvirtVersion ?? "—"} / ${h.qemuVersion ?? "—"}`,
    meta: { className: "font-mono text-xs" },
  }),
  col.accessor("cpuModel", { header: "CPU model", cell: (c) => c.getValue() ?? "—" }),
  col.accessor("cores", { header: "Cores", cell: (c) => c.getValue() ?? "—", meta: { className: NUM } }),
  col.accessor("memoryFreeBytes", {
    header: "Memory free / total",
    cell: ({ row: { original: h } }) => `${formatBytes(h.memoryFreeBytes)} / ${formatBytes(h.memoryTotalBytes)}`,
    meta: { className: NUM, testId: "host-memory" },
  }),
  col.accessor("vmCount", { header: "VMs", meta: { className: NUM, testId: "host-vm-count" } }),
  col.display({
    id: "inflight",
    header: "Migrations out / in",
    cell: ({ row: { original: h } }) => `${h.inflightOut} / ${h.inflightIn}`,
    meta: { className: NUM },
  }),
  col.accessor("lastSeenAt", {
    header: "Last seen",
    cell: (c) => formatAgo(c.getValue()),
    meta: { className: "text-xs text-slate-400" },
  }),
];

export function HostsTable({ hosts }: { hosts: FleetHost[] }) {
  return (
    <section aria-labelledby="hosts-heading">
      <h2 id="hosts-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-400">
        Hypervisors
      </h2>
      <DataTable
        data={hosts}
        columns={COLUMNS}
        getRowId={(h) => h.id}
        label="Hypervisors"
        testId="hosts-table"
        empty="No hypervisors yet: add one on the Hosts page."
        rowAttributes={(h) => ({ "data-host": h.name, className: "align-top" })}
      />
    </section>
  );
}
function HostStatus({ host }: { host: FleetHost }) {
  if (host.status === "pending_key") return <Badge tone="amber">host key not confirmed</Badge>;
  if (host.status === "disabled") return <Badge tone="slate">disabled</Badge>;
  return (
    <div className="space-y-1">
      {host.reachable ? (
        <Badge tone="green">reachable</Badge>
      ) : (
        <Badge tone="red" title={host.lastError ?? undefined}>
          {host.lastErrorKind === "host-key"
            ? "host key mismatch"
            : host.lastSeenAt || host.lastError
              ? "unreachable"
              : "not checked yet"}
        </Badge>
      )}
      {host.status === "maintenance" && <Badge tone="sky">maintenance</Badge>}
      {!host.reachable && host.lastError && (
        <p className="max-w-xs text-xs text-rose-300" data-testid="host-error">
          {host.lastError}
        </p>
      )}
    </div>
  );
}
