import type { ReactNode } from "react";

export function Alert({ tone = "error", children }: { tone?: "error" | "info" | "success"; children: ReactNode }) {
  const style =
    tone === "error"
      ? "border-rose-700 bg-rose-950/60 text-rose-200"
      : tone === "success"
        ? "border-emerald-700 bg-emerald-950/60 text-emerald-200"
        : "border-sky-700 bg-sky-950/60 text-sky-200";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded border px-3 py-2 text-sm ${style}`}>
      {children}
    </div>
  );
}
