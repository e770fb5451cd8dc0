// Every formatter against the real virsh 9.0 captures, byte for byte (values taken from the
// capture itself, so only the format is under test).
import { describe, expect, it } from "vitest";
import { readCapture, readJobCompletedEvent } from "../test-support/fixtures";
import { cpuSeconds, formatVersion, infoLine, memStatLine, nodeLine, prettyCapacity, vshTable } from "./format";
import { formatJobInfo, formatRawJobInfo, type JobStats } from "./jobinfo-format";
import { formatG17, QmpDouble, type QmpValue, toJson } from "./qmp-json";

const UNIT: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const LABEL_KEY: Record<string, string> = {
  "Time elapsed:": "time_elapsed",
  "Time elapsed w/o network:": "time_elapsed_net",
  "Data processed:": "data_processed",
  "Data remaining:": "data_remaining",
  "Data total:": "data_total",
  "Memory processed:": "memory_processed",
  "Memory remaining:": "memory_remaining",
  "Memory total:": "memory_total",
  "Memory bandwidth:": "memory_bps",
  "Dirty rate:": "memory_dirty_rate",
  "Page size:": "memory_page_size",
  "Iteration:": "memory_iteration",
  "Postcopy requests:": "memory_postcopy_requests",
  "Constant pages:": "memory_constant",
  "Normal pages:": "memory_normal",
  "Normal data:": "memory_normal_bytes",
  "Expected downtime:": "downtime",
  "Total downtime:": "downtime",
  "Downtime w/o network:": "downtime_net",
  "Setup time:": "setup_time",
  "Auto converge throttle:": "auto_converge_throttle",
};

/** Turn pretty domjobinfo back into typed parameters (units undone), to re-format it. */
function parsePretty(text: string): { type: number; stats: JobStats } {
  const stats: JobStats = {};
  let type = 0;
  for (const line of text.split("\n")) {
    const m = /^(.+?:)\s+(.*?)\s*$/.exec(line);
    if (!m) continue;
    const [, label = "", value = ""] = m;
    if (label === "Job type:") type = ["None", "Bounded", "Unbounded", "Completed"].indexOf(value);
    else if (label === "Operation:") stats.operation = value === "Outgoing migration" ? 5 : 4;
    else {
      const key = LABEL_KEY[label];
      if (!key) throw new Error(`unknown label ${label}`);
      const u = /^([\d.]+) (B|KiB|MiB|GiB)(\/s)?$/.exec(value);
      stats[key] = u ? Math.round(Number(u[1]) * (UNIT[u[2] as string] ?? 1)) : Number(value.split(/\s+/)[0]);
    }
  }
  return { type, stats };
}

describe("domjobinfo", () => {
  const pretty = [
    "s1-00-domjobinfo-no-job.txt",
    "s1-01-domjobinfo-running-iter1.txt",
    "s1-05-domjobinfo-running-iter3.txt",
    "s3c-domjobinfo-after-timeout.txt",
    "s8-domjobinfo-postcopy-phase.txt",
    "s1-07-source-domjobinfo-completed-keep.txt",
    "s1-07-dest-domjobinfo-completed.txt",
    "s5b-dest-completed.txt",
  ];
  it.each(pretty)("formats %s exactly", (name) => {
    const cap = readCapture(name);
    const { type, stats } = parsePretty(cap.output);
    expect(formatJobInfo(type, stats).replace(/\n+$/, "")).toBe(cap.output);
  });

  it("prints the auto-converge throttle line with its padding", () => {
    const out = formatJobInfo(2, { operation: 5, time_elapsed: 1, auto_converge_throttle: 20 });
    expect(out.endsWith("Auto converge throttle: 20           \n")).toBe(true);
  });

  it.each([
    ["s2b-events-hv1.txt", "s2b-source-domjobinfo-completed-keep.txt"],
    ["s3c-events-hv1.txt", "s3c-source-domjobinfo-completed.txt"],
    ["s8-events-hv1.txt", "s8-source-completed.txt"],
  ])("pretty-prints the raw stats of %s as %s shows them", (events, pretty) => {
    expect(formatJobInfo(3, readJobCompletedEvent(events)).replace(/\n+$/, "")).toBe(readCapture(pretty).output);
  });

  it("formats --rawstats exactly", () => {
    const cap = readCapture("s1-01-domjobinfo-rawstats.txt");
    const stats: JobStats = {};
    for (const l of cap.output.split("\n").slice(2)) {
      const [k, v] = l.split(": ");
      stats[k as string] = Number(v);
    }
    expect(formatRawJobInfo(2, stats).replace(/\n+$/, "")).toBe(cap.output);
    // Key order is libvirt's even when the model hands the keys over in another order.
    const shuffled = Object.fromEntries(Object.entries(stats).reverse());
    expect(formatRawJobInfo(2, shuffled).replace(/\n+$/, "")).toBe(cap.output);
    expect(formatRawJobInfo(0, {})).toBe("Job type: 0\n\n");
  });
});

describe("tables", () => {
  it.each([
    ["inventory-hv1-list-all.txt", [["1", "vm-idle", "running"]]],
    ["inventory-hv2-list-all.txt", []],
    ["s1-07-dest-list-all.txt", [["15", "vm-heavy", "running"]]],
    ["s1-01-dest-list-all.txt", [["15", "vm-heavy", "paused"]]],
    [
      "s1-07-source-list-all.txt",
      [
        ["-", "vm-ac", "shut off"],
        ["-", "vm-heavy", "shut off"],
        ["-", "vm-idle", "shut off"],
      ],
    ],
    [
      "s5c-hv1-list-all.txt",
      [
        ["22", "vm-idle", "running"],
        ["-", "vm-ac", "shut off"],
        ["-", "vm-heavy", "shut off"],
      ],
    ],
  ])("list --all like %s", (name, rows) => {
    expect(vshTable(["Id", "Name", "State"], rows).replace(/\n+$/, "")).toBe(readCapture(name).output);
  });

  it("domblklist --details", () => {
    const out = vshTable(
      ["Type", "Device", "Target", "Source"],
      [["file", "disk", "vda", "/var/lib/mig-lab/shared/vm-idle.img"]],
    );
    expect(out.replace(/\n+$/, "")).toBe(readCapture("inventory-hv1-domblklist-details.txt").output);
  });
});

describe("host and domain info", () => {
  it("dominfo", () => {
    const out =
      infoLine("Id:", "1") +
      infoLine("Name:", "vm-idle") +
      infoLine("UUID:", "aef80700-7ff5-4e02-970f-aecf3ab475c9") +
      infoLine("OS Type:", "hvm") +
      infoLine("State:", "running") +
      infoLine("CPU(s):", "1") +
      infoLine("CPU time:", cpuSeconds(5.49e9)) +
      infoLine("Max memory:", "524288 KiB") +
      infoLine("Used memory:", "524288 KiB") +
      infoLine("Persistent:", "yes") +
      infoLine("Autostart:", "disable") +
      infoLine("Managed save:", "no") +
      infoLine("Security model:", "none") +
      infoLine("Security DOI:", "0") +
      infoLine("Messages:", "tainted: running with undesirable elevated privileges");
    expect(out.replace(/\n+$/, "")).toBe(readCapture("inventory-hv1-dominfo.txt").output);
  });

  it("nodeinfo", () => {
    const out = [
      ["CPU model:", "x86_64"],
      ["CPU(s):", "2"],
      ["CPU frequency:", "2596 MHz"],
      ["CPU socket(s):", "1"],
      ["Core(s) per socket:", "2"],
      ["Thread(s) per core:", "1"],
      ["NUMA cell(s):", "1"],
      ["Memory size:", "5597400 KiB"],
    ]
      .map(([l, v]) => nodeLine(l as string, v as string))
      .join("");
    expect(out.replace(/\n+$/, "")).toBe(readCapture("inventory-hv1-nodeinfo.txt").output);
  });

  it("nodememstats", () => {
    const out =
      memStatLine("total", 24684096) +
      memStatLine("free", 24078696) +
      memStatLine("buffers", 1808) +
      memStatLine("cached", 120492);
    expect(out.replace(/\n+$/, "")).toBe(readCapture("inventory-hv1-nodememstats.txt").output);
  });

  it("version", () => {
    expect(formatVersion("9.0.0", "7.2.22").replace(/\n+$/, "")).toBe(readCapture("inventory-hv1-version.txt").output);
  });

  it("prettyCapacity", () => {
    expect(prettyCapacity(0)).toBe("0.000 B");
    expect(prettyCapacity(537403392)).toBe("512.508 MiB");
    expect(prettyCapacity(4355866487)).toBe("4.057 GiB");
    expect(prettyCapacity(1023)).toBe("1023.000 B");
  });
});

/** JSON.parse loses QEMU's double formatting; non-integers came from doubles. */
function revive(v: unknown): QmpValue {
  if (typeof v === "number") return Number.isInteger(v) ? v : new QmpDouble(v);
  if (Array.isArray(v)) return v.map(revive);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
  return v as QmpValue;
}

describe("QMP JSON", () => {
  it.each([
    "s1-01-query-migrate-qmp-pretty.txt",
    "s1-01-query-migrate-parameters-qmp.txt",
    "s1-04-qmp-migrate-set-capabilities-auto-converge-mid-migration.txt",
    "s4-err-query-migrate-no-job.txt",
    "s1-02-query-dirty-rate-during-migration.txt",
    "s8-query-migrate-postcopy-phase.txt",
    "s2b-query-migrate-qmp-with-throttle.txt",
  ])("pretty-prints %s like libvirt's yajl", (name) => {
    const cap = readCapture(name);
    expect(toJson(revive(JSON.parse(cap.output)), true).replace(/\n+$/, "")).toBe(cap.output);
  });

  it("compact form", () => {
    expect(toJson({ return: {}, id: "libvirt-414" }, false)).toBe('{"return":{},"id":"libvirt-414"}');
  });

  it("formats doubles like %.17g", () => {
    expect(formatG17(67.30704)).toBe("67.307040000000001");
    expect(formatG17(268.5672)).toBe("268.56720000000001");
    expect(formatG17(33.818400000000004)).toBe("33.818400000000004");
    expect(formatG17(32)).toBe("32");
    expect(formatG17(0.5)).toBe("0.5");
  });
});
