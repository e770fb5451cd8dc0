/** The last control's outcome: a status when it worked, an alert with the server's reason when not. */
export function WindowControlResult({ result }: { result: { ok: boolean; text: string } }) {
  return (
    <p
      role={result.ok ? "status" : "alert"}
      data-testid="control-result"
      data-ok={result.ok}
      className={`text-sm ${result.ok ? "text-emerald-300" : "text-rose-300"}`}
    >
      {result.ok ? "✓ " : "✗ "}
      {result.text}
    </p>
  );
}
