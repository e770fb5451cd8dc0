import type { DrainableHost } from "@/lib/db/windows";
import { displayName } from "@/lib/format";

/** A checkbox per host inside one fieldset, so the fieldset carries the list's error. */
export function HostChoice({
  legend,
  name,
  hosts,
  error,
  empty,
  hint,
}: {
  legend: string;
  name: string;
  hosts: DrainableHost[];
  error?: string[];
  empty: string;
  hint?: string;
}) {
  const errorId = `${name}-error`;
  return (
    <fieldset
      className="space-y-1"
      aria-describedby={error ? errorId : undefined}
      aria-invalid={error ? true : undefined}
      data-field={name}
    >
      <legend className="text-xs font-medium uppercase tracking-wide text-slate-400">{legend}</legend>
      {hosts.length === 0 ? (
        <p className="text-sm text-slate-500">{empty}</p>
      ) : (
        <div className="flex flex-wrap gap-2">
          {hosts.map((h) => (
            <label
              key={h.id}
              className="flex items-center gap-2 rounded border border-slate-700 px-2 py-1 text-sm has-[:checked]:border-sky-500 has-[:checked]:bg-sky-950/40"
            >
              <input type="checkbox" name={name} value={h.id} className="size-4" />
              <span className="font-medium">{displayName(h.name)}</span>
              <span className="text-xs text-slate-400">
                {h.runningVms} running / {h.vmCount} VM{h.vmCount === 1 ? "" : "s"}
                {h.cpuModel ? ` · ${h.cpuModel}` : ""}
                {h.status !== "active" ? ` · ${h.status}` : ""}
                {!h.reachable ? " · unreachable" : ""}
              </span>
            </label>
          ))}
        </div>
      )}
      {hint && !error && <p className="text-xs text-slate-500">{hint}</p>}
      {error?.map((e) => (
        <p key={e} id={errorId} role="alert" className="text-xs text-rose-400">
          {e}
        </p>
      ))}
    </fieldset>
  );
}
