import type { Outcome } from "./use-confirmed-action";

/** What the last action did: a status when it worked, an alert with the server's reason when not. */
export function OutcomeLine({ result, testId }: { result: Outcome | null; testId: string }) {
  if (!result) return null;
  return (
    <p
      role={result.ok ? "status" : "alert"}
      data-testid={testId}
      className={result.ok ? "text-emerald-300" : "text-rose-300"}
    >
      {result.text}
    </p>
  );
}
