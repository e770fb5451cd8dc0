import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { getSession } from "@/lib/auth/session";
import { getWindowView } from "@/lib/db/windows";
import { getQueryClient } from "@/lib/query-client";
import { windowIdInput } from "@/lib/schemas/windows";
import { WindowDetail } from "./window-detail";
import { windowQueryKey } from "./window-query";

export const dynamic = "force-dynamic";

// One maintenance window: its plan (table + Gantt), live progress while it runs, and — for
// operators — Plan / Run / Pause / Resume / Cancel. Viewers get the same page without controls.
export default async function WindowPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!windowIdInput.safeParse({ windowId: id }).success) notFound();
  const [user, view] = await Promise.all([getSession(), getWindowView(id)]);
  if (!user || !view) notFound();
  const qc = getQueryClient();
  qc.setQueryData(windowQueryKey(id), view);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <WindowDetail id={id} canOperate={hasRole(user.role, "operator")} />
    </HydrationBoundary>
  );
}
