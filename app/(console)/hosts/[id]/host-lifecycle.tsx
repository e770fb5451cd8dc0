"use client";

// Maintenance by hand (operators) and decommissioning (admins), each behind a confirmation that
// says what happens. Decommissioning is offered with its blockers listed; the server re-checks.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { removeHostAction, setHostMaintenanceAction } from "@/lib/actions/hosts";
import type { HostPage } from "@/lib/db/host-page";
import { displayName } from "@/lib/format";

export function HostLifecycle({ host, isAdmin }: { host: HostPage; isAdmin: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [confirm, setConfirm] = useState<"maintenance" | "decommission" | null>(null);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const entering = host.status === "active";
  const canToggle = host.status === "active" || host.status === "maintenance";
  const name = displayName(host.name);

  const run = (what: "maintenance" | "decommission") => {
    setConfirm(null);
    start(async () => {
      const r =
        what === "maintenance"
          ? await setHostMaintenanceAction({ hostId: host.id, maintenance: entering })
          : await removeHostAction({ hostId: host.id });
      setResult(
        r.ok
          ? {
              ok: true,
              text:
                what === "decommission"
                  ? `${name} is decommissioned.`
                  : entering
                    ? `${name} is in maintenance.`
                    : `${name} is back in service.`,
            }
          : { ok: false, text: r.message },
      );
      router.refresh();
    });
  };

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
      {result && (
        <p
          role={result.ok ? "status" : "alert"}
          data-testid="lifecycle-result"
          className={result.ok ? "text-emerald-300" : "text-rose-300"}
        >
          {result.text}
        </p>
      )}
      <ConfirmDialog
        open={confirm === "maintenance"}
        title={entering ? `Put ${name} into maintenance?` : `Take ${name} out of maintenance?`}
        tone="primary"
        confirmLabel={entering ? "Put into maintenance" : "Back in service"}
        onCancel={() => setConfirm(null)}
        onConfirm={() => run("maintenance")}
        consequence={
          entering ? (
            <p>
              Its {host.vms.length} VM{host.vms.length === 1 ? "" : "s"} keep running. No new migration or drain move
              goes to it; planned moves to it are sent elsewhere.{" "}
              {host.inflight ? `${host.inflight} migration(s) in flight finish.` : ""}
            </p>
          ) : (
            <p>It becomes a destination again for migrations and drains.</p>
          )
        }
      />
      <ConfirmDialog
        open={confirm === "decommission"}
        title={`Decommission ${name}?`}
        confirmLabel="Decommission"
        typeToConfirm={host.name}
        onCancel={() => setConfirm(null)}
        onConfirm={() => run("decommission")}
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
    </section>
  );
}
