// What running or cancelling a window does, spelled out in its confirmation.
import type { WindowView } from "@/lib/schemas/wire-window";
import { formatDuration, formatUtc } from "../../migrations/display";

export function RunConsequence({ w, toStart }: { w: WindowView; toStart: number }) {
  const drained = w.hosts.map((h) => h.name).join(", ");
  const outside = Date.parse(w.now) < Date.parse(w.startsAt) || Date.parse(w.now) > Date.parse(w.endsAt);
  return (
    <div className="space-y-1">
      <p>
        Convoy live-migrates {toStart} VM{toStart === 1 ? "" : "s"} off {drained}, in the plan&apos;s order: at most{" "}
        {w.maxOutbound} at a time out of each source and {w.maxInbound} into each destination. Guests keep running; each
        pauses for at most about {w.downtimeBudgetMs} ms at switchover.
      </p>
      <p>
        A failed move is retried on another destination (up to twice). When a drained host has no running VM left it is
        set to <strong>maintenance</strong>.
      </p>
      {w.plan && (
        <p>
          Predicted duration {formatDuration(w.plan.makespanMs)}; planned at {formatUtc(w.plan.plannedAt)}
          {w.plan.unplaced.length
            ? `; ${w.plan.unplaced.length} VM(s) have no slot and stay where they are, so their host will not be emptied`
            : ""}
          .
        </p>
      )}
      {outside && (
        <p className="font-semibold">
          Now is outside the scheduled window ({formatUtc(w.startsAt)} → {formatUtc(w.endsAt)}).
        </p>
      )}
    </div>
  );
}

export function CancelConsequence({ toStart, inFlight }: { toStart: number; inFlight: number }) {
  return (
    <div className="space-y-1">
      <p>
        {toStart} pending move{toStart === 1 ? " is" : "s are"} cancelled and nothing new starts. No host is set to
        maintenance.
      </p>
      <p>
        {inFlight
          ? `${inFlight} migration${inFlight === 1 ? " is" : "s are"} in flight and will NOT be stopped: ${inFlight === 1 ? "it finishes" : "they finish"} on ${inFlight === 1 ? "its" : "their"} own, or abort ${inFlight === 1 ? "it" : "them"} from the linked migration page${inFlight === 1 ? "" : "s"}.`
          : "No migration of this window is in flight."}
      </p>
    </div>
  );
}
