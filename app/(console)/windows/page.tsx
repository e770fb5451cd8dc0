import { hasRole } from "@/lib/auth/roles";
import { guardedPage } from "@/lib/auth/page";
import { listPolicies } from "@/lib/db/policies";
import { listDrainableHosts, listWindows } from "@/lib/db/windows";
import { NewWindowForm } from "./new-window-form";
import { WindowsTable } from "./windows-table";

export const dynamic = "force-dynamic";

// Maintenance windows: every operator drain, planned before anything moves. Viewers read them.
export default guardedPage("viewer", async ({ user }) => {
  const [windows, hosts, policies] = await Promise.all([listWindows(), listDrainableHosts(), listPolicies()]);
  const canOperate = hasRole(user.role, "operator");
  return (
    <div className="space-y-8">
      <section aria-labelledby="windows-heading" className="space-y-3">
        <h1 id="windows-heading" className="text-xl font-semibold">
          Maintenance windows
        </h1>
        <WindowsTable windows={windows} canOperate={canOperate} />
      </section>
      {canOperate ? (
        <NewWindowForm hosts={hosts} policies={policies.map((p) => p.name)} defaults={defaultTimes()} />
      ) : (
        <p className="text-sm text-slate-400">
          Viewers can read maintenance windows; operators create, plan and run them.
        </p>
      )}
    </div>
  );
});

/** The next 5-minute mark and two hours later, as UTC datetime-local values. */
function defaultTimes() {
  const start = Math.ceil(Date.now() / 300_000) * 300_000;
  const fmt = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  return { start: fmt(start), end: fmt(start + 2 * 3_600_000) };
}
