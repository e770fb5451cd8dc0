import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { redirect } from "next/navigation";
import { HostAdmin } from "@/components/hosts/host-admin";
import { getSession } from "@/lib/auth/session";
import { getFleet } from "@/lib/db/fleet";
import { getQueryClient } from "@/lib/query-client";
import { queryKeys } from "@/lib/query-keys";

export const dynamic = "force-dynamic";

export default async function HostsPage() {
  const user = await getSession();
  if (!user) redirect("/login");
  const qc = getQueryClient();
  await qc.prefetchQuery({ queryKey: queryKeys.fleet, queryFn: getFleet });
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <HostAdmin isAdmin={user.role === "admin"} />
    </HydrationBoundary>
  );
}
