// Everything that happened to the migration, newest first: operator clicks, policy steps, system
// observations. The same events are the markers on the charts.
import { type MarkerTone, markerTone } from "@/components/charts/chart-utils";
import type { MigrationEventView } from "@/lib/schemas/wire";

const SOURCE_LABEL: Record<MarkerTone, string> = {
  operator: "operator",
  policy: "policy",
  system: "system",
  failure: "failure",
};
// The charts' marker hues as themed text classes: the markers' fixed hex colours are too light to
// read as text on the light theme.
const SOURCE_CLASS: Record<MarkerTone, string> = {
  operator: "text-sky-300",
  policy: "text-violet-300",
  system: "text-slate-400",
  failure: "text-rose-400",
};

export function EventsTimeline({ events }: { events: MigrationEventView[] }) {
  const rows = [...events].reverse();
  return (
    <section aria-labelledby="events-heading" className="space-y-2">
      <h2 id="events-heading" className="text-sm font-semibold uppercase tracking-wide text-slate-400">
        Events <span className="font-normal normal-case text-slate-500">({events.length}, newest first)</span>
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No events yet.</p>
      ) : (
        <ol
          data-testid="events-timeline"
          className="max-h-96 divide-y divide-slate-800 overflow-y-auto rounded border border-slate-800"
        >
          {rows.map((e) => {
            const tone = markerTone(e);
            return (
              <li
                key={e.id}
                data-event-type={e.type}
                className="grid grid-cols-[auto_auto_1fr] gap-x-3 px-3 py-1.5 text-sm"
              >
                <time dateTime={e.at} className="font-mono text-xs text-slate-400">
                  {e.at.slice(11, 19)}Z
                </time>
                <span className={`font-mono text-xs ${SOURCE_CLASS[tone]}`} title={`${e.source} event`}>
                  {e.type}
                  <span className="sr-only"> ({SOURCE_LABEL[tone]})</span>
                </span>
                <span className="min-w-0 break-words text-slate-200">{e.message}</span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
