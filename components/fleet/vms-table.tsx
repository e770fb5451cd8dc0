import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { FleetVm } from "@/lib/schemas/wire";
import { displayName, formatBytes } from "@/lib/format";

type Row = FleetVm & { hostName: string; hostId: string };

const STATE_TONE: Record<string, "green" | "amber" | "slate" | "red"> = {
  running: "green",
  paused: "amber",
  "shut off": "slate",
  crashed: "red",
};

export function VmsTable({ vms }: { vms: Row[] }) {
  return (
    <section aria-labelledby="vms-heading">
      <h2 id="vms-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-400">
        Virtual machines ({vms.length})
      </h2>
      <div className="overflow-x-auto rounded border border-slate-800">
        <table className="w-full text-sm" data-testid="vms-table">
          <thead className="bg-slate-900 text-left text-xs uppercase text-slate-400">
            <tr>
              <th className="px-3 py-2">VM</th>
              <th className="px-3 py-2">Host</th>
              <th className="px-3 py-2">State</th>
              <th className="px-3 py-2 text-right">vCPUs</th>
              <th className="px-3 py-2 text-right">Memory</th>
              <th className="px-3 py-2">Disks</th>
              <th className="px-3 py-2">Storage</th>
            </tr>
          </thead>
          <tbody>
            {vms.map((v) => (
              <tr key={v.id} data-vm={v.name} className="border-t border-slate-800">
                <td className="px-3 py-2 font-medium">
                  <Link href={`/vms/${v.id}`} className="text-sky-300 hover:underline">
                    {displayName(v.name)}
                  </Link>
                  {v.migrating && (
                    <span className="ml-2">
                      <Badge tone="sky">migrating</Badge>
                    </span>
                  )}
                </td>
                <td className="px-3 py-2">{displayName(v.hostName)}</td>
                <td className="px-3 py-2">
                  <Badge tone={STATE_TONE[v.state] ?? "slate"}>
                    {v.stateReason ? `${v.state} (${v.stateReason})` : v.state}
                  </Badge>
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="vm-vcpus">
                  {v.vcpus}
                </td>
                <td className="px-3 py-2 text-right tabular-nums" data-testid="vm-memory">
                  {formatBytes(v.memoryBytes)}
                </td>
                <td className="px-3 py-2 font-mono text-xs">
                  {v.disks.map((d) => `${d.target}${d.readonly ? " (ro)" : ""}`).join(", ") || "—"}
                </td>
                <td className="px-3 py-2" data-testid="vm-storage">
                  <Badge tone={v.storage === "local" || v.storage === "mixed" ? "amber" : "slate"}>{v.storage}</Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
