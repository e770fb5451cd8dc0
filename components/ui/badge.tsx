import type { ReactNode } from "react";

type Tone = "green" | "red" | "amber" | "slate" | "sky";

const TONES: Record<Tone, string> = {
  green: "bg-emerald-900/60 text-emerald-300 ring-emerald-700",
  red: "bg-rose-900/60 text-rose-300 ring-rose-700",
  amber: "bg-amber-900/60 text-amber-300 ring-amber-700",
  slate: "bg-slate-800 text-slate-300 ring-slate-600",
  sky: "bg-sky-900/60 text-sky-300 ring-sky-700",
};

export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}
