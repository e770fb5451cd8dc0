import type { PrecheckReport } from "@/lib/migration-ops/prechecks";
import { displayName } from "@/lib/format";

export function PrecheckTable({ report }: { report: PrecheckReport }) {
  const chosen = report.chosen;
  if (!chosen) return <p className="text-sm text-rose-300">No destination passes every check. See each host below.</p>;
  return (
    <div className="space-y-2" data-testid="prechecks">
      <p className="text-sm">
        Destination: <b>{displayName(chosen.hostName)}</b>{" "}
        {chosen.result.ok ? (
          <span className="text-emerald-300">— all checks pass</span>
        ) : (
          <span className="text-rose-300">— some checks fail</span>
        )}
      </p>
      <table className="w-full text-sm">
        <tbody>
          {chosen.result.checks.map((c) => (
            <tr key={c.id} className="border-t border-slate-800" data-check={c.id} data-ok={c.ok}>
              <td className="w-8 py-1 text-center" aria-label={c.ok ? "pass" : "fail"}>
                {c.ok ? <span className="text-emerald-400">✓</span> : <span className="text-rose-400">✗</span>}
              </td>
              <td className="w-64 py-1">{c.label}</td>
              <td className="py-1 text-slate-400">{c.detail}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.destinations.length > 1 && (
        <details className="text-xs text-slate-400">
          <summary className="cursor-pointer">Other destinations considered ({report.destinations.length - 1})</summary>
          <ul className="mt-1 space-y-1">
            {report.destinations
              .filter((d) => d.hostId !== chosen.hostId)
              .map((d) => (
                <li key={d.hostId}>
                  {displayName(d.hostName)}:{" "}
                  {d.result.ok
                    ? "passes"
                    : d.result.checks
                        .filter((c) => !c.ok)
                        .map((c) => `${c.label} (${c.detail})`)
                        .join("; ")}
                </li>
              ))}
          </ul>
        </details>
      )}
    </div>
  );
}
