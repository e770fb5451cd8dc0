import Link from "next/link";
import type { HostMigrationRow } from "@/lib/db/host-page";
import { displayName } from "@/lib/format";

/** The host's migrations, both directions, newest first; pages are links (`?page=`). */
export function HostMigrations({
  hostId,
  list,
}: {
  hostId: string;
  list: { rows: HostMigrationRow[]; total: number; page: number; pages: number };
}) {
  return (
    <section aria-labelledby="host-migrations-heading" className="space-y-2">
      <h2 id="host-migrations-heading" className="text-lg font-semibold">
        Migrations ({list.total})
      </h2>
      {list.rows.length === 0 ? (
        <p className="text-sm text-slate-400">
          {list.total ? "No migrations on this page." : "No migration has touched this host."}
        </p>
      ) : (
        <table className="w-full text-sm" data-testid="host-migrations">
          <thead className="text-left text-xs text-slate-400">
            <tr>
              <th className="py-1">VM</th>
              <th>Direction</th>
              <th>State</th>
              <th>Queued (UTC)</th>
              <th>Downtime</th>
            </tr>
          </thead>
          <tbody>
            {list.rows.map((m) => (
              <tr key={m.id} className="border-t border-slate-800" data-direction={m.direction}>
                <td className="py-1">
                  <Link href={`/migrations/${m.id}`} className="text-sky-300 hover:underline">
                    {displayName(m.vmName)}
                  </Link>
                </td>
                <td>
                  {m.direction === "out" ? `out to ${displayName(m.otherHost)}` : `in from ${displayName(m.otherHost)}`}
                </td>
                <td title={m.error ?? undefined}>{m.state}</td>
                <td className="font-mono text-xs">{m.createdAt.slice(0, 19).replace("T", " ")}</td>
                <td>{m.downtimeMs === null ? "—" : `${m.downtimeMs} ms`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.pages > 1 && (
        <nav aria-label="Migration pages" className="flex gap-3 text-sm">
          {list.page > 1 && <Link href={`/hosts/${hostId}?page=${list.page - 1}`}>← Newer</Link>}
          <span className="text-slate-400">
            page {list.page} of {list.pages}
          </span>
          {list.page < list.pages && <Link href={`/hosts/${hostId}?page=${list.page + 1}`}>Older →</Link>}
        </nav>
      )}
    </section>
  );
}
