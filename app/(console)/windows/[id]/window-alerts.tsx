"use client";

import { createColumnHelper } from "@tanstack/react-table";
import { DataTable } from "@/components/ui/data-table";
import type { WindowView } from "@/lib/schemas/wire-window";

type Alert = WindowView["alerts"][number];
const col = createColumnHelper<Alert>();

const delivery = (a: Alert) =>
  a.deliveredAt
    ? `delivered ${a.deliveredAt.slice(11, 19)}`
    : a.gaveUpAt
      ? `gave up after ${a.attempts} tries: ${a.lastError ?? ""}`
      : a.attempts
        ? `retrying (${a.attempts} tries): ${a.lastError ?? ""}`
        : "pending";

const COLUMNS = [
  col.accessor("createdAt", {
    header: "Time (UTC)",
    cell: (c) => c.getValue().slice(11, 19),
    meta: { className: "tabular-nums" },
  }),
  col.accessor("kind", { header: "Event" }),
  col.accessor("summary", { header: "What" }),
  col.accessor((a) => `${a.target} (${a.format})`, { id: "to", header: "To" }),
  col.accessor(delivery, { id: "delivery", header: "Delivery" }),
];

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
      <DataTable
        data={w.alerts}
        columns={COLUMNS}
        getRowId={(a) => a.id}
        label="Alerts sent for this window"
        empty="No alert sent yet."
        rowAttributes={() => ({ "data-testid": "alert-row", className: "align-top" })}
        density="compact"
      />
    </section>
  );
}
