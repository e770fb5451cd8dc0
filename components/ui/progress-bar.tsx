// A plain progress bar (role="progressbar"). Callers decide the value; the live page feeds it a
// running maximum so it never goes backwards.
type Tone = "sky" | "green" | "amber" | "red" | "slate";

const FILL: Record<Tone, string> = {
  sky: "bg-sky-500",
  green: "bg-emerald-500",
  amber: "bg-amber-500",
  red: "bg-rose-500",
  slate: "bg-slate-500",
};

export function ProgressBar({
  value,
  label,
  tone = "sky",
  showValue = true,
  valueTestId,
  className = "",
}: {
  /** 0–100 */
  value: number;
  /** Accessible name, e.g. "Migration progress". */
  label: string;
  tone?: Tone;
  showValue?: boolean;
  valueTestId?: string;
  className?: string;
}) {
  const pct = Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0));
  // Floor, never round: 99.96 % must not read "100%" before the job has completed.
  const text = `${pct >= 99 && pct < 100 ? (Math.floor(pct * 10) / 10).toFixed(1) : Math.floor(pct)}%`;
  return (
    <div className={`flex items-center gap-2 ${className}`}>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(pct * 10) / 10}
        aria-valuetext={text}
        className="h-2 min-w-16 flex-1 overflow-hidden rounded-full bg-slate-800"
      >
        <div
          className={`h-full rounded-full ${FILL[tone]} transition-[width] duration-300`}
          style={{ width: `${pct}%` }}
        />
      </div>
      {showValue && (
        <span data-testid={valueTestId} className="w-12 text-right font-mono text-xs tabular-nums text-slate-300">
          {text}
        </span>
      )}
    </div>
  );
}
