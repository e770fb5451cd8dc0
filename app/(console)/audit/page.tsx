import { guardedPage } from "@/lib/auth/page";
import { listAudit } from "@/lib/db/audit";
import { displayName } from "@/lib/format";

export const dynamic = "force-dynamic";

const TONE: Record<string, string> = {
  ok: "text-emerald-300",
  denied: "text-rose-300",
  invalid: "text-amber-300",
  error: "text-rose-300",
};

export default guardedPage<Record<string, never>, { action?: string }>("viewer", async ({ searchParams }) => {
  const { action } = await searchParams;
  const rows = await listAudit({ take: 300, action: action || undefined });
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Audit log</h1>
      <p className="text-sm text-slate-400">
        Every action, allowed or refused, newest first{action ? ` — filtered on ${action}` : ""}.
      </p>
      <div className="overflow-x-auto rounded border border-slate-800">
        <table className="w-full text-sm" data-testid="audit-table">
          <thead className="bg-slate-900 text-left text-xs uppercase text-slate-400">
            <tr>
              <th className="px-3 py-2">When (UTC)</th>
              <th className="px-3 py-2">Who</th>
              <th className="px-3 py-2">Action</th>
              <th className="px-3 py-2">Target</th>
              <th className="px-3 py-2">Result</th>
              <th className="px-3 py-2">Detail</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr
                key={r.id.toString()}
                className="border-t border-slate-800 align-top"
                data-audit-action={r.action}
                data-audit-result={r.result}
              >
                <td className="whitespace-nowrap px-3 py-1.5 font-mono text-xs">
                  {r.at.toISOString().replace("T", " ").slice(0, 19)}
                </td>
                <td className="px-3 py-1.5">
                  {displayName(r.actorName)}
                  {r.actorRole && <span className="text-xs text-slate-500"> ({r.actorRole})</span>}
                </td>
                <td className="px-3 py-1.5 font-mono text-xs">{r.action}</td>
                <td className="px-3 py-1.5 text-xs">{r.targetType ? `${r.targetType} ${r.targetId ?? ""}` : "—"}</td>
                <td className={`px-3 py-1.5 ${TONE[r.result] ?? ""}`}>{r.result}</td>
                <td className="max-w-md break-words px-3 py-1.5 text-xs text-slate-400">
                  {r.error ?? (r.after ? JSON.stringify(r.after).slice(0, 300) : "")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});
