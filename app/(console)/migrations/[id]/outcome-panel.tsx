// How it ended: outcome, real downtime (QEMU's completed-job figure), total time, data moved, the
// restart that replaced it if any, and the raw completed-job statistics.
import Link from "next/link";
import { Alert } from "@/components/ui/alert";
import type { MigrationView } from "@/lib/schemas/wire";
import { formatBytes } from "@/lib/format";
import { formatDuration } from "../display";
import { StateBadge } from "../migration-badges";
import { GUEST_VERDICTS } from "./use-migration-stream";

export function OutcomePanel({ view, restartedAs }: { view: MigrationView; restartedAs: string | null }) {
  const total =
    view.totalTimeMs ?? (view.startedAt && view.endedAt ? Date.parse(view.endedAt) - Date.parse(view.startedAt) : null);
  const stats = statsRows(view.completedStats);
  return (
    <section
      aria-labelledby="outcome-heading"
      className="space-y-3 rounded border border-slate-700 bg-slate-900/60 p-4"
      data-testid="outcome"
    >
      <h2 id="outcome-heading" className="flex items-center gap-3 text-lg font-semibold">
        Outcome <StateBadge state={view.state} testId="outcome-state" />
      </h2>
      {view.error && <Alert tone={view.state === "cancelled" ? "info" : "error"}>{view.error}</Alert>}
      {view.guestLocation && (
        <p className="text-sm" data-testid="guest-location">
          <span className="text-slate-400">Where the guest is: </span>
          <span className="font-medium">{view.guestLocation.text}</span>
          {view.guestLocation.settled === false && (
            <span className="text-amber-300"> — not settled, Convoy keeps asking both hosts</span>
          )}
          {view.guestLocation.detail && (
            <span className="block text-xs text-slate-400">{view.guestLocation.detail}</span>
          )}
        </p>
      )}
      {view.state === "completed" && <GuestHealthNote view={view} />}
      {restartedAs && (
        <Alert tone="info">
          Restarted with auto-converge as a new migration:{" "}
          <Link href={`/migrations/${restartedAs}`} className="font-medium underline">
            follow the new attempt
          </Link>
          .
        </Alert>
      )}
      <dl className="grid grid-cols-2 gap-4 sm:grid-cols-4">
        <Stat label="Real downtime">
          {view.downtimeMs === null ? (
            "—"
          ) : (
            <>
              <span data-testid="downtime-ms">{view.downtimeMs}</span> ms
            </>
          )}
        </Stat>
        <Stat label="Total time">{formatDuration(total)}</Stat>
        <Stat label="Data moved">{formatBytes(view.dataProcessedBytes)}</Stat>
        <Stat label="Samples">{view.sampleCount}</Stat>
        {view.postcopyBytes !== null && <Stat label="Sent in post-copy">{formatBytes(view.postcopyBytes)}</Stat>}
      </dl>
      {stats.length > 0 && (
        <details className="rounded border border-slate-800">
          <summary className="cursor-pointer px-3 py-2 text-sm text-slate-300">
            Completed-job statistics (domjobinfo --completed)
          </summary>
          <table className="w-full text-sm" data-testid="completed-stats">
            <tbody>
              {stats.map(([k, raw, human]) => (
                <tr key={k} className="border-t border-slate-800">
                  <th scope="row" className="px-3 py-1 text-left font-mono text-xs font-normal text-slate-400">
                    {k}
                  </th>
                  <td className="px-3 py-1 text-right font-mono text-xs tabular-nums">{raw}</td>
                  <td className="px-3 py-1 text-xs text-slate-400">{human}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </section>
  );
}

/** The guest's health on the destination after landing, from the verdict event if it came live. */
function GuestHealthNote({ view }: { view: MigrationView }) {
  const event = view.events.findLast((e) => GUEST_VERDICTS.includes(e.type));
  const live = event?.data as { health?: string; reason?: string } | null | undefined;
  const health = live?.health ?? view.guestHealth;
  const reason = live?.reason ?? view.guestHealthReason;
  const text =
    health === "healthy"
      ? `Guest healthy on ${view.dest.name}: ${reason ?? ""}`
      : health === "unhealthy"
        ? `Landed, unhealthy: ${reason ?? ""}`
        : health === "unknown"
          ? `Guest health unknown: ${reason ?? ""}`
          : health === "checking"
            ? `Landed; checking that the guest runs on ${view.dest.name}…`
            : "The guest's health after landing was not checked.";
  return (
    <div data-testid="guest-health" data-health={health ?? "unchecked"}>
      <Alert tone={health === "healthy" ? "success" : health === "unhealthy" ? "error" : "info"}>{text}</Alert>
    </div>
  );
}

function Stat({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs uppercase tracking-wide text-slate-400">{label}</dt>
      <dd className="text-xl font-semibold tabular-nums">{children}</dd>
    </div>
  );
}

/** key, raw value, a human reading for byte and time counters (libvirt's raw stat names). */
function statsRows(stats: unknown): [string, string, string][] {
  if (!stats || typeof stats !== "object") return [];
  return Object.entries(stats as Record<string, unknown>)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => {
      const raw = typeof v === "object" ? JSON.stringify(v) : String(v);
      const n = typeof v === "number" ? v : typeof v === "string" && /^\d+(\.\d+)?$/.test(v) ? Number(v) : null;
      let human = "";
      if (n !== null && /_bps$/.test(k)) human = `${formatBytes(n)}/s`;
      else if (
        n !== null &&
        /(^|_)(total|processed|remaining|bytes|normal_bytes|transferred|data)($|_)/.test(k) &&
        !/pages|_ms$|time/.test(k)
      )
        human = formatBytes(n);
      else if (n !== null && /(time|downtime|_ms)/.test(k)) human = formatDuration(n);
      return [k, raw, human];
    });
}
