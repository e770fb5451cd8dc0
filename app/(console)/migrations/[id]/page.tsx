import { notFound } from "next/navigation";
import { hasRole } from "@/lib/auth/roles";
import { guardedPage } from "@/lib/auth/page";
import { getMigrationView } from "@/lib/db/migration-view";
import { LiveMigration } from "./live-migration";

export const dynamic = "force-dynamic";

// Live page and replay in one: a running migration streams on top of this snapshot, a finished one
// is drawn from it as is. Viewers get the same page without the controls.
export default guardedPage<{ id: string }>("viewer", async ({ params, user }) => {
  const { id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  const view = await getMigrationView(id);
  if (!view) notFound();
  // key: following a restart navigates to another id; start over with its own stream and state.
  return <LiveMigration key={view.id} initial={view} canOperate={hasRole(user.role, "operator")} />;
});
