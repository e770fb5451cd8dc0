import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { FleetView } from "@/components/fleet/fleet-view";
import { guardedPage } from "@/lib/auth/page";
import { getFleet } from "@/lib/db/fleet";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";

export const dynamic = "force-dynamic";

export default guardedPage("viewer", async () => {
  const qc = getQueryClient();
  await qc.prefetchQuery({ queryKey: queryKeys.fleet, queryFn: getFleet });
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <FleetView />
    </HydrationBoundary>
  );
});
