"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import type { FleetVm } from "@/lib/schemas/wire";
import { displayName, formatBytes } from "@/lib/format";

type Row = FleetVm & { hostName: string; hostId: string };

const STATE_TONE: Record<string, "green" | "amber" | "slate" | "red"> = {
  running: "green",
  paused: "amber",
  "shut off": "slate",
  crashed: "red",
};
const col = createColumnHelper<Row>();
const NUM = "text-right tabular-nums";

const COLUMNS = [
  col.accessor("name", {
    header: "VM",
    cell: ({ row: { original: v } }) => (
      <>
        <Link href={`/vms/${v.id}`} className="text-sky-300 hover:underline">
          {displayName(v.name)}
        </Link>
        {v.migrating && (
          <span className="ml-2">
            <Badge tone="sky">migrating</Badge>
          </span>
        )}
      </>
    ),
    meta: { className: "font-medium" },
  }),
  col.accessor("hostName", { header: "Host", cell: (c) => displayName(c.getValue()) }),
  col.accessor("state", {
    header: "State",
    cell: ({ row: { original: v } }) => (
      <Badge tone={STATE_TONE[v.state] ?? "slate"}>{v.stateReason ? `${v.state} (${v.stateReason})` : v.state}</Badge>
    ),
  }),
  col.accessor("vcpus", { header: "vCPUs", meta: { className: NUM, testId: "vm-vcpus" } }),
  col.accessor("memoryBytes", {
    header: "Memory",
    cell: (c) => formatBytes(c.getValue()),
    meta: { className: NUM, testId: "vm-memory" },
  }),
  col.display({
    id: "disks",
    header: "Disks",
    cell: ({ row: { original: v } }) => v.disks.map((d) => `${d.target}${d.readonly ? " (ro)" : ""}`).join(", ") || "—",
    meta: { className: "font-mono text-xs" },
  }),
  col.accessor("storage", {
    header: "Storage",
    cell: (c) => (
      <Badge tone={c.getValue() === "local" || c.getValue() === "mixed" ? "amber" : "slate"}>{c.getValue()}</Badge>
    ),
    meta: { testId: "vm-storage" },
  }),
];

export function VmsTable({ vms }: { vms: Row[] }) {
  return (
    <section aria-labelledby="vms-heading">
      <h2 id="vms-heading" className="mb-2 text-sm font-semibold uppercase tracking-wide text-slate-400">
        Virtual machines ({vms.length})
      </h2>
      <DataTable
        data={vms}
        columns={COLUMNS}
        getRowId={(v) => v.id}
        label="Virtual machines"
        testId="vms-table"
        empty="No virtual machines seen yet."
        rowAttributes={(v) => ({ "data-vm": v.name })}
      />
    </section>
  );
}
