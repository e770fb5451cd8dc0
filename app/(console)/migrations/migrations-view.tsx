"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { Alert } from "@/components/ui/alert";
import { fetchJson } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { HistoryFilters } from "./history-filters";
import { HistoryTable } from "./history-table";
import { InFlightTable } from "./in-flight-table";
import { filtersFromSearch, filtersToSearch, type MigrationListFilters } from "@/lib/schemas/migration-list";
import { migrationList } from "@/lib/schemas/wire";

const POLL_MS = 3_000;

export function MigrationsView({ hostNames }: { hostNames: string[] }) {
  const router = useRouter();
  const params = useSearchParams();
  const filters = filtersFromSearch(params);
  const search = filtersToSearch(filters);
  const { data, error, isPending, dataUpdatedAt } = useQuery({
    queryKey: queryKeys.migrations(search),
    queryFn: () => fetchJson(`/api/migrations${search}`, migrationList),
    refetchInterval: POLL_MS,
    placeholderData: keepPreviousData,
  });
  const apply = (f: MigrationListFilters) => router.replace(`/migrations${filtersToSearch(f)}`, { scroll: false });
  const filtered = search !== "";

  return (
    <div className="space-y-8">
      <section aria-labelledby="inflight-heading" className="space-y-2">
        <div className="flex flex-wrap items-baseline gap-3">
          <h1 id="inflight-heading" className="text-xl font-semibold">
            Migrations in flight
          </h1>
          <p className="text-sm text-slate-400">
            {data ? `${data.active.length} running` : ""}
            {dataUpdatedAt ? ` · updated ${new Date(dataUpdatedAt).toISOString().slice(11, 19)} UTC` : ""}
          </p>
        </div>
        {error && (
          <Alert>
            Could not refresh the migrations: {error.message}.{data ? " Showing the last data." : ""}
          </Alert>
        )}
        {isPending ? (
          <Skeleton />
        ) : data && data.active.length === 0 ? (
          <p className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400" data-testid="inflight-empty">
            No migrations in flight.
          </p>
        ) : data ? (
          <InFlightTable rows={data.active} />
        ) : null}
      </section>

      <section aria-labelledby="history-heading" className="space-y-3">
        <h2 id="history-heading" className="text-lg font-semibold">
          History
        </h2>
        <HistoryFilters key={search} initial={filters} hostNames={hostNames} onApply={apply} />
        {isPending ? (
          <Skeleton />
        ) : data && data.history.length === 0 ? (
          <p className="rounded border border-slate-800 px-3 py-4 text-sm text-slate-400" data-testid="history-empty">
            {filtered ? "Nothing matches these filters." : "No migrations yet. Start one from a VM's page."}
          </p>
        ) : data ? (
          <>
            <HistoryTable rows={data.history} />
            {data.history.length >= data.historyLimit && (
              <p className="text-xs text-slate-500">
                Showing the newest {data.historyLimit}; narrow the filters to see older ones.
              </p>
            )}
          </>
        ) : null}
      </section>
    </div>
  );
}

function Skeleton() {
  return (
    <div className="space-y-2" role="status" aria-busy="true">
      <span className="sr-only">Loading…</span>
      {[0, 1, 2].map((i) => (
        <div key={i} className="h-8 animate-pulse rounded bg-slate-800/60" />
      ))}
    </div>
  );
}
