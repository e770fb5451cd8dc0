import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { guardedPage } from "@/lib/auth/page";
import { getWindowView } from "@/lib/db/windows";
import { getQueryClient } from "@/lib/query-client";
import { windowIdInput } from "@/lib/schemas/windows";
import { WindowDetail } from "./window-detail";
import { windowQueryKey } from "./window-query";

export const dynamic = "force-dynamic";

// One maintenance window: its plan (table + Gantt), live progress while it runs, and — for
// operators — Plan / Run / Pause / Resume / Cancel. Viewers get the same page without controls.
export default guardedPage<{ id: string }>("viewer", async ({ params, user }) => {
  const { id } = await params;
  if (!windowIdInput.safeParse({ windowId: id }).success) notFound();
  const view = await getWindowView(id);
  if (!view) notFound();
  const qc = getQueryClient();
  qc.setQueryData(windowQueryKey(id), view);
  return (
    <HydrationBoundary state={dehydrate(qc)}>
      <WindowDetail id={id} canOperate={hasRole(user.role, "operator")} />
    </HydrationBoundary>
  );
});
