import { guardedPage } from "@/lib/auth/page";
import { listAudit } from "@/lib/db/audit";
import { AuditTable } from "./audit-table";

export const dynamic = "force-dynamic";

export default guardedPage<Record<string, never>, { action?: string }>("viewer", async ({ searchParams }) => {
  const { action } = await searchParams;
  const rows = await listAudit({ take: 300, action: action || undefined });
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <p className="text-sm text-slate-400">
        Every action, allowed or refused, newest first{action ? ` — filtered on ${action}` : ""}.
      </p>
      <AuditTable
        rows={rows.map((r) => ({
          id: r.id.toString(),
          at: r.at.toISOString(),
          actorName: r.actorName,
          actorRole: r.actorRole,
          action: r.action,
          target: r.targetType ? `${r.targetType} ${r.targetId ?? ""}` : null,
          result: r.result,
          detail: r.error ?? (r.after ? JSON.stringify(r.after).slice(0, 300) : ""),
        }))}
      />
    </div>
  );
});
