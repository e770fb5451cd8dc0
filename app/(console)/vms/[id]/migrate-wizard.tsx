"use client";

import type { DestinationChoice, VmDetail } from "@/lib/db/vms";
import { displayName } from "@/lib/format";
import { DestinationBar } from "./destination-bar";
import { LaunchOptionsFieldset } from "./launch-options-fieldset";
import { PrecheckTable } from "./precheck-table";
import { PredictionPanel } from "./prediction-panel";
import { StartMigration } from "./start-migration";
import { useMigrateWizard } from "./use-migrate-wizard";

export function MigrateWizard({
  vm,
  destinations,
  isAdmin,
  policies,
}: {
  vm: VmDetail;
  destinations: DestinationChoice[];
  isAdmin: boolean;
  policies: { name: string; description?: string }[];
}) {
  const w = useMigrateWizard(vm, destinations, isAdmin);

  return (
    <section className="space-y-5 rounded border border-slate-800 p-4" aria-labelledby="migrate-heading">
      <h2 id="migrate-heading" className="text-lg font-semibold">
        Live-migrate {displayName(vm.name)}
      </h2>

      <DestinationBar
        destinations={destinations}
        dest={w.dest}
        onDestChange={w.chooseDest}
        busy={w.busy}
        canMeasure={vm.state === "running"}
        onRunChecks={w.runChecks}
        onMeasure={w.measure}
      />

      {w.report && <PrecheckTable report={w.report} />}
      {w.measurement && (
        <PredictionPanel
          measurement={w.measurement}
          options={w.options}
          linkBps={w.linkBps}
          learned={w.chosenHost ? w.measurement.learnedPaths[w.chosenHost.id] : undefined}
        />
      )}

      <LaunchOptionsFieldset
        options={w.options}
        set={w.set}
        policies={policies}
        policyName={w.policyName}
        onPolicyChange={w.setPolicyName}
      />

      <StartMigration
        showOverride={w.checksFailed && isAdmin}
        overrideReason={w.overrideReason}
        onOverrideChange={w.setOverrideReason}
        error={w.error}
        canStart={w.canStart}
        starting={w.busy === "start"}
        hasReport={w.report !== null}
        onStart={w.startMigration}
      />
    </section>
  );
}
