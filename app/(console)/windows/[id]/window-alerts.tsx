import type { WindowView } from "@/lib/schemas/wire-window";

// Webhook alerts of a window: where they go and what was sent (delivered, retrying, given up).
export function WindowAlerts({ w }: { w: WindowView }) {
  return (
    <section aria-labelledby="alerts-heading" className="space-y-2" data-testid="window-alerts">
      <h2 id="alerts-heading" className="text-lg font-semibold">
        Alerts
      </h2>
      {w.alertWebhooks.length === 0 ? (
        <p className="text-sm text-slate-400">
          No webhooks for this window (alerts configured with CONVOY_ALERT_WEBHOOKS still apply).
        </p>
      ) : (
        <p className="text-sm text-slate-400">
          Webhooks: {w.alertWebhooks.map((t) => `${t.target} (${t.format}: ${t.events.join(", ")})`).join("; ")}
        </p>
      )}
      {w.alerts.length === 0 ? (
        <p className="text-sm text-slate-500">No alert sent yet.</p>
      ) : (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-400">
            <tr>
              <th className="py-1 pr-3 font-medium">Time (UTC)</th>
              <th className="py-1 pr-3 font-medium">Event</th>
              <th className="py-1 pr-3 font-medium">What</th>
              <th className="py-1 pr-3 font-medium">To</th>
              <th className="py-1 font-medium">Delivery</th>
            </tr>
          </thead>
          <tbody>
            {w.alerts.map((a) => (
              <tr key={a.id} className="border-t border-slate-800 align-top" data-testid="alert-row">
                <td className="py-1 pr-3 tabular-nums">{a.createdAt.slice(11, 19)}</td>
                <td className="py-1 pr-3">{a.kind}</td>
                <td className="py-1 pr-3">{a.summary}</td>
                <td className="py-1 pr-3">
                  {a.target} ({a.format})
                </td>
                <td className="py-1">
                  {a.deliveredAt
                    ? `delivered ${a.deliveredAt.slice(11, 19)}`
                    : a.gaveUpAt
                      ? `gave up after ${a.attempts} tries: ${a.lastError ?? ""}`
                      : a.attempts
                        ? `retrying (${a.attempts} tries): ${a.lastError ?? ""}`
                        : "pending"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
