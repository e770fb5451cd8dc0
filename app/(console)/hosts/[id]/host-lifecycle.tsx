"use client";

// Maintenance by hand (operators) and decommissioning (admins), each behind a confirmation that
// says what happens. Decommissioning is offered with its blockers listed; the server re-checks.
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { OutcomeLine } from "@/components/ui/outcome-line";
import { useConfirmedAction } from "@/components/ui/use-confirmed-action";
import { removeHostAction, setHostMaintenanceAction } from "@/lib/actions/hosts";
import type { HostPage } from "@/lib/db/host-page";
import { displayName } from "@/lib/format";

export function HostLifecycle({ host, isAdmin }: { host: HostPage; isAdmin: boolean }) {
  const router = useRouter();
  const { pending, confirm, setConfirm, result, fire } = useConfirmedAction<"maintenance" | "decommission">(() =>
    router.refresh(),
  );
  const entering = host.status === "active";
  const canToggle = host.status === "active" || host.status === "maintenance";
  const name = displayName(host.name);

  return (
    <section aria-label="Host lifecycle" className="space-y-2 rounded border border-slate-800 p-3 text-sm">
      <div className="flex flex-wrap gap-2">
        <Button
          variant="secondary"
          aria-disabled={!canToggle || pending || undefined}
          title={canToggle ? undefined : `a ${host.status} host has no maintenance switch`}
          onClick={() => canToggle && !pending && setConfirm("maintenance")}
        >
          {entering ? "Put into maintenance" : "Take out of maintenance"}
        </Button>
        {isAdmin && (
          <Button
            variant="danger"
            aria-disabled={pending || undefined}
            onClick={() => !pending && setConfirm("decommission")}
          >
            Decommission
          </Button>
        )}
      </div>
      {isAdmin && host.decommissionBlockers.length > 0 && (
        <p className="text-xs text-amber-300" data-testid="decommission-blockers">
          Cannot be decommissioned now: {host.decommissionBlockers.join("; ")}.
        </p>
      )}
      <OutcomeLine result={result} testId="lifecycle-result" />
      <MaintenanceDialog
        host={host}
        open={confirm === "maintenance"}
        onCancel={() => setConfirm(null)}
        onConfirm={() =>
          fire(
            () => setHostMaintenanceAction({ hostId: host.id, maintenance: entering }),
            entering ? `${name} is in maintenance.` : `${name} is back in service.`,
          )
        }
      />
      <DecommissionDialog
        host={host}
        open={confirm === "decommission"}
        onCancel={() => setConfirm(null)}
        onConfirm={() => fire(() => removeHostAction({ hostId: host.id }), `${name} is decommissioned.`)}
      />
    </section>
  );
}

type DialogProps = { host: HostPage; open: boolean; onCancel: () => void; onConfirm: () => void };

/** Into maintenance (its VMs keep running, nothing new lands on it) or back into service. */
function MaintenanceDialog({ host, open, onCancel, onConfirm }: DialogProps) {
  const entering = host.status === "active";
  const name = displayName(host.name);
  return (
    <ConfirmDialog
      open={open}
      title={entering ? `Put ${name} into maintenance?` : `Take ${name} out of maintenance?`}
      tone="primary"
      confirmLabel={entering ? "Put into maintenance" : "Back in service"}
      onCancel={onCancel}
      onConfirm={onConfirm}
      consequence={
        entering ? (
          <p>
            Its {host.vms.length} VM{host.vms.length === 1 ? "" : "s"} keep running. No new migration or drain move goes
            to it; planned moves to it are sent elsewhere.{" "}
            {host.inflight ? `${host.inflight} migration(s) in flight finish.` : ""}
          </p>
        ) : (
          <p>It becomes a destination again for migrations and drains.</p>
        )
      }
    />
  );
}

/** Decommissioning: typed confirmation, and what stops and what stays readable. */
function DecommissionDialog({ host, open, onCancel, onConfirm }: DialogProps) {
  const name = displayName(host.name);
  return (
    <ConfirmDialog
      open={open}
      title={`Decommission ${name}?`}
      confirmLabel="Decommission"
      typeToConfirm={host.name}
      onCancel={onCancel}
      onConfirm={onConfirm}
      consequence={
        <div className="space-y-1">
          <p>
            Convoy stops watching {name}: its SSH key is erased, it leaves the fleet, inventory and planning, and its{" "}
            {host.vms.length} VM
            {host.vms.length === 1 ? "" : "s"} are no longer listed. Its migrations, reports and this page stay
            readable.
          </p>
          <p>Refused while a migration or a running or armed window touches it.</p>
        </div>
      }
    />
  );
}
