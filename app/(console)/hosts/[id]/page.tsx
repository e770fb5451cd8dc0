import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge } from "@/components/ui/badge";
import { guardedPage } from "@/lib/auth/page";
import { hasRole } from "@/lib/auth/roles";
import { getHostPage, listHostMigrations } from "@/lib/db/host-page";
import { displayName, formatBytes } from "@/lib/format";
import { hostIdInput, hostPageQuery } from "@/lib/schemas/hosts";
import { HostLifecycle } from "./host-lifecycle";
import { HostMigrations } from "./host-migrations";
import { HostVmsTable } from "./host-vms-table";

export const dynamic = "force-dynamic";

// One host: its facts, VMs, pinned-key history and migrations (both directions, `?page=` paged
// server-side). A decommissioned host still has its page (history); operators put it into or out
// of maintenance, admins decommission it.
export default guardedPage<{ id: string }, { page?: string }>("viewer", async ({ params, searchParams, user }) => {
  const [{ id }, query] = await Promise.all([params, searchParams]);
  if (!hostIdInput.safeParse({ hostId: id }).success) notFound();
  const q = hostPageQuery.safeParse(query);
  if (!q.success) notFound();
  const [host, migrations] = await Promise.all([getHostPage(id), listHostMigrations(id, q.data.page)]);
  if (!host) notFound();
  return (
    <article className="space-y-6" data-testid="host-page" data-status={host.status}>
      <header className="flex flex-wrap items-baseline gap-3">
        <h1 className="text-xl font-semibold">{displayName(host.name)}</h1>
        <span data-testid="host-status">
          <Badge tone={host.status === "active" ? "green" : host.status === "maintenance" ? "sky" : "slate"}>
            {host.status === "removed" ? "decommissioned" : host.status}
          </Badge>
        </span>
        {host.status !== "removed" && (
          <Badge tone={host.reachable ? "green" : "red"}>{host.reachable ? "reachable" : "unreachable"}</Badge>
        )}
        <Link href="/hosts" className="ml-auto text-sm text-sky-300 hover:underline">
          All hosts
        </Link>
      </header>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Address">{`${host.address}:${host.port}`}</Fact>
        <Fact label="CPU">{host.cpuModel ? `${host.cpuModel} · ${host.cores ?? "?"} cores` : "not read yet"}</Fact>
        <Fact label="Memory">
          {host.memoryTotalBytes === null
            ? "—"
            : `${formatBytes(host.memoryFreeBytes ?? 0)} free of ${formatBytes(host.memoryTotalBytes)}`}
        </Fact>
        <Fact label="Last inventory">
          {host.removedAt
            ? `decommissioned ${host.removedAt.slice(0, 19).replace("T", " ")} UTC`
            : (host.lastSeenAt?.slice(0, 19).replace("T", " ") ?? "never")}
        </Fact>
      </dl>
      {host.status !== "removed" &&
        (hasRole(user.role, "operator") ? <HostLifecycle host={host} isAdmin={user.role === "admin"} /> : null)}
      <section aria-labelledby="vms-heading" className="space-y-2">
        <h2 id="vms-heading" className="text-lg font-semibold">
          VMs ({host.vms.length})
        </h2>
        <HostVmsTable
          vms={host.vms}
          empty={host.status === "removed" ? "Not watched any more (decommissioned)." : "None in the last inventory."}
        />
      </section>
      <HostMigrations hostId={host.id} list={migrations} />
      <section aria-labelledby="keys-heading" className="space-y-2">
        <h2 id="keys-heading" className="text-lg font-semibold">
          Host key history
        </h2>
        {host.keyEvents.length === 0 ? (
          <p className="text-sm text-slate-400">No key pinned yet.</p>
        ) : (
          <ul className="space-y-1 text-sm" data-testid="key-history">
            {host.keyEvents.map((e) => (
              <li key={e.id} data-kind={e.kind}>
                <span className="font-mono text-xs">{e.fingerprint}</span>{" "}
                <span className="text-slate-400">
                  {e.kind === "known"
                    ? "pinned before key history was recorded"
                    : `${e.kind === "re-pin" ? "re-pinned" : "pinned"} by ${displayName(e.actorName)}`}{" "}
                  · {e.at.slice(0, 19).replace("T", " ")} UTC{e.previous ? ` · replaced ${e.previous}` : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
});

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-400">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}
