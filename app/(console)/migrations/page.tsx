import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { guardedPage } from "@/lib/auth/page";
import { getFleet } from "@/lib/db/fleet";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";
import { filtersFromSearch, filtersToSearch } from "@/lib/schemas/migration-list";
import { getMigrationList } from "@/lib/db/migration-list";
import { MigrationsView } from "./migrations-view";

export const dynamic = "force-dynamic";

export default guardedPage("viewer", async ({ searchParams }) => {
  const filters = filtersFromSearch(await searchParams);
  const qc = getQueryClient();
  const [hosts] = await Promise.all([
    // Only for the host filter's choices: the page still works (free-text links) without them.
    getFleet().catch(() => []),
    qc.prefetchQuery({
      queryKey: queryKeys.migrations(filtersToSearch(filters)),
      queryFn: () => getMigrationList(filters),
    }),
  ]);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <MigrationsView hostNames={hosts.map((h) => h.name).sort()} />
    </HydrationBoundary>
  );
});
