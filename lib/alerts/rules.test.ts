import { describe, expect, it } from "vitest";
import { alertKey } from "./key";
import {
  type AlertEvent,
  alertPayload,
  overdueAfterMs,
  parseWebhookLines,
  retryDelayMs,
  slackEscape,
  webhookLines,
} from "./rules";

const event: AlertEvent = {
  kind: "stalled",
  at: "2026-11-23T03:00:00.000Z",
  url: "http://convoy.local/migrations/m1",
  summary: "db-1 (hv1 → hv2) is not converging",
  migration: {
    id: "m1",
    vm: "<!channel> db-1",
    source: "hv1",
    destination: "hv2",
    state: "running",
    verdict: "wont-converge",
    reason: "Dirty rate ≥ transfer rate",
  },
};

describe("webhook lines", () => {
  it("parses URL, format and events, with defaults and comments", () => {
    const r = parseWebhookLines("https://a.example/x slack stalled,failed\n# comment\n\nhttp://b.example/y");
    expect(r).toEqual({
      ok: true,
      targets: [
        { url: "https://a.example/x", format: "slack", events: ["stalled", "failed"] },
        {
          url: "http://b.example/y",
          format: "generic",
          events: ["stalled", "failed", "overdue", "unhealthy", "window-overrun"],
        },
      ],
    });
    if (r.ok) expect(parseWebhookLines(webhookLines(r.targets))).toEqual(r);
  });

  it("refuses non-http schemes and unknown events with the line number", () => {
    expect(parseWebhookLines("https://ok.example\nfile:///etc/passwd")).toEqual({
      ok: false,
      error: "Line 2: Only http:// or https:// URLs",
    });
    const bad = parseWebhookLines("https://ok.example generic exploded");
    expect(bad.ok).toBe(false);
    expect(parseWebhookLines(Array.from({ length: 11 }, (_, i) => `https://h${i}.example`).join("\n"))).toEqual({
      ok: false,
      error: "At most 10 webhooks",
    });
  });
});

describe("alert rules", () => {
  it("overdue after 3 × the expected time, never before the floor", () => {
    expect(overdueAfterMs({ predictedTotalMs: 600_000, memoryBytes: 0, bandwidthBps: 0, floorMs: 60_000 })).toBe(
      1_800_000,
    );
    // 64 GiB at 1.25 GB/s ≈ 55 s per copy → 3 × 55 s < 30 min floor
    expect(
      overdueAfterMs({ predictedTotalMs: null, memoryBytes: 64 * 2 ** 30, bandwidthBps: 1.25e9, floorMs: 1_800_000 }),
    ).toBe(1_800_000);
    // 256 GiB at 125 MB/s ≈ 2199 s per copy → 3 copies
    expect(
      overdueAfterMs({ predictedTotalMs: null, memoryBytes: 256 * 2 ** 30, bandwidthBps: 1.25e8, floorMs: 1_800_000 }),
    ).toBeCloseTo(3 * ((256 * 2 ** 30) / 1.25e8) * 1000);
  });

  it("generic payload carries the event, severity and subject", () => {
    expect(alertPayload("generic", event)).toEqual({
      event: "stalled",
      severity: "warning",
      summary: event.summary,
      migration: event.migration,
      window: null,
      url: event.url,
      at: event.at,
    });
    expect(alertPayload("generic", { ...event, kind: "failed" }).severity).toBe("critical");
  });

  it("Slack payload has text with a link and escapes mrkdwn controls", () => {
    const p = alertPayload("slack", event) as { text: string; blocks: { fields?: { text: string }[] }[] };
    expect(p.text).toBe(
      ":warning: Convoy: db-1 (hv1 → hv2) is not converging <http://convoy.local/migrations/m1|open>",
    );
    expect(JSON.stringify(p.blocks)).toContain("&lt;!channel&gt; db-1");
    expect(JSON.stringify(p.blocks)).not.toContain("<!channel>");
    expect(slackEscape("a&b")).toBe("a&amp;b");
  });

  it("keys are stable per kind, subject and target; retries back off to a cap", () => {
    const t = { url: "https://a.example", format: "generic" as const };
    expect(alertKey("failed", "m1", t)).toBe(alertKey("failed", "m1", t));
    expect(alertKey("failed", "m1", t)).not.toBe(alertKey("failed", "m1", { ...t, format: "slack" }));
    expect(alertKey("failed", "m1", t)).not.toBe(alertKey("stalled", "m1", t));
    expect([1, 2, 3, 10, 20].map((a) => retryDelayMs(a))).toEqual([10_000, 20_000, 40_000, 600_000, 600_000]);
  });
});
