"use client";

import { createColumnHelper } from "@tanstack/react-table";
import Link from "next/link";
import { DataTable } from "@/components/ui/data-table";
import type { HostPage } from "@/lib/db/host-page";
import { displayName, formatBytes } from "@/lib/format";

type Vm = HostPage["vms"][number];
const col = createColumnHelper<Vm>();
const NUM = "text-right tabular-nums";

const COLUMNS = [
  col.accessor("name", {
    header: "Name",
    cell: ({ row: { original: v } }) => (
      <Link href={`/vms/${v.id}`} className="text-sky-300 hover:underline">
        {displayName(v.name)}
      </Link>
    ),
  }),
  col.accessor("state", { header: "State" }),
  col.accessor("vcpus", { header: "vCPUs", meta: { className: NUM } }),
  col.accessor("memoryBytes", { header: "Memory", cell: (c) => formatBytes(c.getValue()), meta: { className: NUM } }),
];

/** The VMs of the host's last inventory. */
export function HostVmsTable({ vms, empty }: { vms: Vm[]; empty: string }) {
  return (
    <DataTable
      data={vms}
      columns={COLUMNS}
      getRowId={(v) => v.id}
      label="VMs on this host"
      testId="host-vms"
      empty={empty}
      density="compact"
    />
  );
}
