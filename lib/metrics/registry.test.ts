import { describe, expect, it } from "vitest";
import { Counter, escapeLabelValue, Gauge, Histogram, Registry } from "./registry";

describe("Prometheus registry", () => {
  it("renders counters with sorted, escaped labels", () => {
    const r = new Registry();
    const c = r.register(new Counter("convoy_x_total", "Things.\nMore"));
    c.inc({ kind: "timeout", host: 'hv"1\\' });
    c.inc({ host: 'hv"1\\', kind: "timeout" }, 2);
    c.inc({ host: "a\nb", kind: "auth" });
    expect(r.render()).toBe(
      [
        "# HELP convoy_x_total Things.\\nMore",
        "# TYPE convoy_x_total counter",
        'convoy_x_total{host="hv\\"1\\\\",kind="timeout"} 3',
        'convoy_x_total{host="a\\nb",kind="auth"} 1',
        "",
      ].join("\n"),
    );
    expect(() => c.inc(undefined, -1)).toThrow();
  });

  it("gauges replace their series wholesale", () => {
    const g = new Gauge("convoy_in_flight", "In flight.");
    g.replace([
      { labels: { state: "running" }, value: 3 },
      { labels: { state: "queued" }, value: 1 },
    ]);
    g.replace([{ labels: { state: "running" }, value: 2 }]);
    expect(g.lines()).toEqual(['convoy_in_flight{state="running"} 2']);
  });

  it("histograms are cumulative with +Inf, sum and count", () => {
    const h = new Histogram("convoy_lat_seconds", "Latency.", [0.1, 1]);
    for (const v of [0.05, 0.5, 0.5, 3]) h.observe({ op: "x" }, v);
    expect(h.lines()).toEqual([
      'convoy_lat_seconds_bucket{op="x",le="0.1"} 1',
      'convoy_lat_seconds_bucket{op="x",le="1"} 3',
      'convoy_lat_seconds_bucket{op="x",le="+Inf"} 4',
      'convoy_lat_seconds_sum{op="x"} 4.05',
      'convoy_lat_seconds_count{op="x"} 4',
    ]);
  });

  it("refuses bad names and duplicates", () => {
    expect(() => new Counter("bad-name", "x")).toThrow();
    const r = new Registry();
    r.register(new Counter("a_total", "x"));
    expect(() => r.register(new Counter("a_total", "x"))).toThrow();
    expect(escapeLabelValue("plain")).toBe("plain");
  });
});
