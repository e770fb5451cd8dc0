import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { FleetHost } from "@/lib/schemas/wire";
import { displayName, formatAgo, formatBytes } from "@/lib/format";

export function HostsTable({ hosts }: { hosts: FleetHost[] }) {
  return (
    <section aria-labelledby="hosts-heading">
      <h2 id="hosts-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-400">
        Hypervisors
      </h2>
      <div className="overflow-x-auto rounded border border-slate-800">
        <table className="w-full text-sm" data-testid="hosts-table">
          <thead className="bg-slate-900 text-left text-xs uppercase text-slate-400">
            <tr>
              <th className="px-3 py-2">Host</th>
              <th className="px-3 py-2">Status</th>
              <th className="px-3 py-2">libvirt / QEMU</th>
              <th className="px-3 py-2">CPU model</th>
              <th className="px-3 py-2 text-right">Cores</th>
              <th className="px-3 py-2 text-right">Memory free / total</th>
              <th className="px-3 py-2 text-right">VMs</th>
              <th className="px-3 py-2 text-right">Migrations out / in</th>
              <th className="px-3 py-2">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.id} data-host={h.name} className="border-t border-slate-800 align-top">
                <td className="px-3 py-2 font-medium">
                  <Link href={`/hosts/${h.id}`} className="hover:underline">
                    {displayName(h.name)}
                  </Link>
                  <div className="text-xs text-slate-500">
                    {h.address}:{h.port}
                  </div>
                </td>
                <td className="px-3 py-2">
                  <HostStatus host={h} />
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {h.libvirtVersion ?? "—"} / {h.qemuVersion ?? "—"}
                </td>
                <td className="px-3 py-2">{h.cpuModel ?? "—"}</td>
                <td className="px-3 py-2 text-right tabular-nums">{h.cores ?? "—"}</td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="host-memory">
                  {formatBytes(h.memoryFreeBytes)} / {formatBytes(h.memoryTotalBytes)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="host-vm-count">
                  {h.vmCount}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {h.inflightOut} / {h.inflightIn}
                </td>
                <td className="px-3 py-2 text-xs text-slate-400">{formatAgo(h.lastSeenAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
