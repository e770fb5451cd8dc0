import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { hasRole } from "@/lib/auth/roles";
import { guardedPage } from "@/lib/auth/page";
import { serviceCheckFor } from "@/lib/db/guest-health";
import { listPolicies } from "@/lib/db/policies";
import { getVmDetail, listDestinationChoices } from "@/lib/db/vms";
import { displayName, formatBytes } from "@/lib/format";
import { MigrateWizard } from "./migrate-wizard";
import { ServiceCheckForm } from "./service-check-form";

export const dynamic = "force-dynamic";

export default guardedPage<{ id: string }>("viewer", async ({ params, user }) => {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  const vm = await getVmDetail(id);
  if (!vm) notFound();
  const [destinations, policies, check] = await Promise.all([
    listDestinationChoices(vm.host.id),
    listPolicies(),
    serviceCheckFor(vm.uuid),
  ]);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-400">
          <Link href="/" className="hover:underline">
            Fleet
          </Link>{" "}
          / {displayName(vm.host.name)}
        </p>
        <h1 className="text-xl font-semibold">{displayName(vm.name)}</h1>
        <div className="mt-2 flex flex-wrap gap-4 text-sm text-slate-300">
          <Badge tone={vm.state === "running" ? "green" : "slate"}>
            {vm.stateReason ? `${vm.state} (${vm.stateReason})` : vm.state}
          </Badge>
          <span>{vm.vcpus} vCPUs</span>
          <span>{formatBytes(vm.memoryBytes)} RAM</span>
          <span>
            storage: {vm.storage} (
            {vm.disks
              .map((d) => `${d.target}${d.readonly ? " ro" : ""}${d.shared ? " shared" : " local"}`)
              .join(", ") || "no disks"}
            )
          </span>
          <span className="font-mono text-xs text-slate-500">{vm.uuid}</span>
        </div>
      </div>
      {vm.activeMigrationId ? (
        <p className="rounded border border-sky-800 bg-sky-950/40 p-3 text-sm">
          A migration of this VM is in flight:{" "}
          <Link className="text-sky-300 underline" href={`/migrations/${vm.activeMigrationId}`}>
            follow it live
          </Link>
          .
        </p>
      ) : hasRole(user.role, "operator") ? (
        <MigrateWizard vm={vm} destinations={destinations} isAdmin={user.role === "admin"} policies={policies} />
      ) : (
        <p className="text-sm text-slate-400">Starting migrations needs the operator role.</p>
      )}
      {user.role === "admin" ? (
        <ServiceCheckForm
          vmUuid={vm.uuid}
          vmName={vm.name}
          initial={check ? `${check.tcpHost}:${check.tcpPort}` : ""}
        />
      ) : (
        check && (
          <p className="text-sm text-slate-400">
            Service check after landing: TCP {check.tcpHost}:{check.tcpPort}
          </p>
        )
      )}
    </div>
  );
});
