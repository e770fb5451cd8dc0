// Read-only inventory commands: what the console's fleet overview polls (fixtures inventory-*).
import { cpuTimeNs, type Domain } from "../model/domain";
import { describeStatus, isActive } from "../model/domain-state";
import { CPU_MODEL_INFO } from "../model/cpu-models";
import { capabilitiesXml, hostTopology } from "./capabilities-xml";
import { type CommandDef, lookupDomain } from "./context";
import { domainXml } from "./domain-xml";
import { cpuSeconds, formatVersion, infoLine, memStatLine, nodeLine, vshTable } from "./format";
import { dom, flag, int, str } from "./options";

export const inventoryCommands: CommandDef[] = [
  {
    name: "version",
    opts: [flag("daemon")],
    run(ctx, a) {
      const { libvirtVersion, qemuVersion } = ctx.host.spec;
      ctx.out(formatVersion(libvirtVersion, qemuVersion === "7.2.0" ? "7.2.22" : qemuVersion));
      if (a.bool("daemon")) ctx.out(`Running against daemon: ${libvirtVersion}\n`);
    },
  },
  {
    name: "hostname",
    opts: [],
    run(ctx) {
      ctx.out(`${ctx.host.name}\n`);
    },
  },
  {
    name: "uri",
    opts: [],
    run(ctx) {
      ctx.out(`${ctx.uri}\n`);
    },
  },
  {
    name: "nodeinfo",
    opts: [],
    run(ctx) {
      const t = hostTopology(ctx.host);
      ctx.out(
        nodeLine("CPU model:", "x86_64") +
          nodeLine("CPU(s):", String(ctx.host.spec.cores)) +
          nodeLine("CPU frequency:", `${CPU_MODEL_INFO[ctx.host.spec.cpuModel].mhz} MHz`) +
          nodeLine("CPU socket(s):", String(t.sockets / t.cells)) +
          nodeLine("Core(s) per socket:", String(t.coresPerSocket)) +
          nodeLine("Thread(s) per core:", String(t.threads)) +
          nodeLine("NUMA cell(s):", String(t.cells)) +
          nodeLine("Memory size:", `${ctx.host.totalKiB()} KiB`),
      );
    },
  },
  {
    name: "capabilities",
    opts: [str("xpath"), flag("wrap")],
    run(ctx) {
      // virshDumpXML prints the document as is (it ends in a newline).
      ctx.out(capabilitiesXml(ctx.host));
    },
  },
  {
    name: "nodememstats",
    opts: [int("cell")],
    run(ctx) {
      const total = ctx.host.totalKiB();
      // Page cache and buffers are part of the host's reserved share, so "free" is what guests can get.
      ctx.out(
        memStatLine("total", total) +
          memStatLine("free", ctx.host.freeKiB()) +
          memStatLine("buffers", Math.round(total / 13650)) +
          memStatLine("cached", Math.round(total / 205)),
      );
    },
  },
  {
    name: "list",
    opts: [
      "inactive",
      "all",
      "transient",
      "persistent",
      "with-snapshot",
      "without-snapshot",
      "with-checkpoint",
      "without-checkpoint",
      "state-running",
      "state-paused",
      "state-shutoff",
      "state-other",
      "autostart",
      "no-autostart",
      "with-managed-save",
      "without-managed-save",
      "uuid",
      "name",
      "table",
      "managed-save",
      "title",
    ].map(flag),
    run(ctx, a) {
      let doms = [...ctx.host.domains.values()];
      const all = a.bool("all");
      if (a.bool("inactive")) doms = doms.filter((d) => !isActive(d.status));
      else if (!all) doms = doms.filter((d) => isActive(d.status));
      if (a.bool("transient")) doms = doms.filter((d) => !d.persistent);
      if (a.bool("persistent")) doms = doms.filter((d) => d.persistent);
      const states = ["state-running", "state-paused", "state-shutoff", "state-other"].filter((s) => a.bool(s));
      if (states.length) {
        doms = doms.filter((d) =>
          states.some((s) =>
            s === "state-running"
              ? d.status.state === "running"
              : s === "state-paused"
                ? d.status.state === "paused"
                : s === "state-shutoff"
                  ? d.status.state === "shut off"
                  : d.status.state === "crashed",
          ),
        );
      }
      // No simulated domain autostarts or has a managed save, snapshot or checkpoint.
      if (["autostart", "with-managed-save", "with-snapshot", "with-checkpoint"].some((f) => a.bool(f))) doms = [];
      doms.sort(listOrder);
      if ((a.bool("name") || a.bool("uuid")) && !a.bool("table")) {
        for (const d of doms) {
          ctx.out(
            a.bool("uuid") && a.bool("name") ? `${d.uuid}  ${d.name}\n` : `${a.bool("uuid") ? d.uuid : d.name}\n`,
          );
        }
        return;
      }
      ctx.out(
        vshTable(
          ["Id", "Name", "State"],
          doms.map((d) => [d.id === null ? "-" : String(d.id), d.name, d.status.state]),
        ),
      );
    },
  },
  {
    name: "dominfo",
    opts: [dom()],
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      ctx.out(dominfo(d, ctx.fleet.nowMs));
    },
  },
  {
    name: "domstate",
    opts: [dom(), flag("reason")],
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      ctx.out(`${a.bool("reason") ? describeStatus(d.status) : d.status.state}\n`);
    },
  },
  {
    name: "domuuid",
    opts: [dom()],
    run(ctx, a) {
      ctx.out(`${lookupDomain(ctx, a).uuid}\n`);
    },
  },
  {
    name: "domid",
    opts: [dom()],
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      ctx.out(`${d.id === null ? "-" : d.id}\n`);
    },
  },
  {
    name: "dumpxml",
    opts: [
      dom(),
      flag("inactive"),
      flag("security-info"),
      flag("update-cpu"),
      flag("migratable"),
      str("xpath"),
      flag("wrap"),
    ],
    run(ctx, a) {
      ctx.out(domainXml(lookupDomain(ctx, a), { inactive: a.bool("inactive"), migratable: a.bool("migratable") }));
    },
  },
  {
    name: "domblklist",
    opts: [dom(), flag("inactive"), flag("details")],
    run(ctx, a) {
      const d = lookupDomain(ctx, a);
      if (a.bool("details")) {
        ctx.out(
          vshTable(
            ["Type", "Device", "Target", "Source"],
            d.disks.map((k) => ["file", "disk", k.target, k.path]),
          ),
        );
      } else {
        ctx.out(
          vshTable(
            ["Target", "Source"],
            d.disks.map((k) => [k.target, k.path]),
          ),
        );
      }
    },
  },
];

/** virsh list: running domains by id, then inactive ones by name. */
function listOrder(x: Domain, y: Domain): number {
  if (x.id !== null && y.id !== null) return x.id - y.id;
  if (x.id !== null) return -1;
  if (y.id !== null) return 1;
  return x.name < y.name ? -1 : x.name > y.name ? 1 : 0;
}

export function dominfo(d: Domain, nowMs: number): string {
  let out = infoLine("Id:", d.id === null ? "-" : String(d.id));
  out += infoLine("Name:", d.name);
  out += infoLine("UUID:", d.uuid);
  out += infoLine("OS Type:", "hvm");
  out += infoLine("State:", d.status.state);
  out += infoLine("CPU(s):", String(d.vcpus));
  const cpu = isActive(d.status) ? cpuTimeNs(d, nowMs) : 0;
  if (cpu > 0) out += infoLine("CPU time:", cpuSeconds(cpu));
  out += infoLine("Max memory:", `${d.memoryKiB} KiB`);
  out += infoLine("Used memory:", `${d.memoryKiB} KiB`);
  out += infoLine("Persistent:", d.persistent ? "yes" : "no");
  out += infoLine("Autostart:", "disable");
  out += infoLine("Managed save:", "no");
  out += infoLine("Security model:", "none");
  out += infoLine("Security DOI:", "0");
  d.taints.forEach((t, i) => {
    out += infoLine(i === 0 ? "Messages:" : "", `tainted: ${t}`);
  });
  return out;
}
