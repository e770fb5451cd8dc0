// State and verdict badges, shared by the migrations list and the live page.
import { Badge } from "@/components/ui/badge";

type Tone = "green" | "red" | "amber" | "slate" | "sky";

const STATE_TONE: Record<string, Tone> = {
  queued: "slate",
  launching: "sky",
  running: "sky",
  postcopy: "amber",
  completed: "green",
  failed: "red",
  cancelled: "slate",
  lost: "red",
};

const STATE_LABEL: Record<string, string> = { postcopy: "post-copy" };

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span data-testid={testId} data-state={state}>
      <Badge tone={STATE_TONE[state] ?? "slate"}>{STATE_LABEL[state] ?? state}</Badge>
    </span>
  );
}

export const VERDICT_LABEL: Record<string, string> = {
  converging: "converging",
  stalled: "stalled",
  "wont-converge": "won't converge",
  "too-early": "assessing",
  postcopy: "post-copy",
};

const VERDICT_TONE: Record<string, Tone> = {
  converging: "green",
  stalled: "amber",
  "wont-converge": "red",
  "too-early": "slate",
  postcopy: "amber",
};

export function VerdictBadge({
  verdict,
  reason,
  testId,
}: {
  verdict: string | null | undefined;
  reason?: string;
  testId?: string;
}) {
  if (!verdict) return <span className="text-xs text-slate-500">—</span>;
  return (
    <span data-testid={testId} data-verdict={verdict}>
      <Badge tone={VERDICT_TONE[verdict] ?? "slate"} title={reason}>
        {VERDICT_LABEL[verdict] ?? verdict}
      </Badge>
    </span>
  );
}
