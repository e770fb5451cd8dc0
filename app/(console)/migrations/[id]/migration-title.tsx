// Which migration this is: the breadcrumb (with the attempt it restarts), the VM, its route, its state
// and the live stream's health.
import Link from "next/link";
import { displayName } from "@/lib/format";
import type { MigrationView } from "@/lib/schemas/wire";
import { StateBadge } from "../migration-badges";
import type { Connection } from "./use-migration-stream";

export function MigrationBreadcrumb({ view }: { view: MigrationView }) {
  return (
    <p className="text-sm text-slate-400">
      <Link href="/migrations" className="hover:underline">
        Migrations
      </Link>{" "}
      / {displayName(view.vmName)}
      {view.restartOfId && (
        <>
          {" "}
          · restart of{" "}
          <Link href={`/migrations/${view.restartOfId}`} className="text-sky-300 hover:underline">
            the previous attempt
          </Link>
        </>
      )}
    </p>
  );
}

export function MigrationTitle({
  view,
  connection,
  attempt,
}: {
  view: MigrationView;
  connection: Connection;
  attempt: number;
}) {
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
      <h1 className="text-2xl font-semibold">{displayName(view.vmName)}</h1>
      <span className="text-lg text-slate-300">
        {displayName(view.source.name)} <span aria-hidden>→</span>
        <span className="sr-only">to</span> {displayName(view.dest.name)}
      </span>
      <StateBadge state={view.state} testId="migration-state" />
      {view.guestPaused && view.state !== "completed" && (
        <span className="rounded bg-amber-900/60 px-1.5 py-0.5 text-xs text-amber-200">guest paused</span>
      )}
      <ConnectionStatus connection={connection} attempt={attempt} />
    </div>
  );
}

function ConnectionStatus({ connection, attempt }: { connection: Connection; attempt: number }) {
  const text =
    connection === "live"
      ? "live"
      : connection === "connecting"
        ? "connecting…"
        : connection === "reconnecting"
          ? `reconnecting…${attempt > 1 ? ` (attempt ${attempt})` : ""}`
          : "replay";
  const dot =
    connection === "live" ? "bg-emerald-400" : connection === "ended" ? "bg-slate-500" : "animate-pulse bg-amber-400";
  return (
    <span
      role="status"
      data-testid="connection-status"
      data-connection={connection}
      className="inline-flex items-center gap-1.5 text-xs text-slate-400"
    >
      <span aria-hidden className={`size-2 rounded-full ${dot}`} />
      {text}
    </span>
  );
}
