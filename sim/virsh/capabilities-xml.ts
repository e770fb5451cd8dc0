// `virsh capabilities` for a simulated host: the <host> part is built from the fleet file (CPU
// model, topology, memory), laid out exactly like the captured libvirt 9.0 XML; the <guest>
// part is the captured one.
import { CPU_MODEL_INFO } from "../model/cpu-models";
import type { SimHost } from "../model/host";
import { GUEST_CAPABILITIES } from "./capabilities-guests";

export interface Topology {
  sockets: number;
  coresPerSocket: number;
  threads: number;
  cells: number;
}

/** Two sockets (and NUMA cells) for bigger hosts, as most 2U servers have. */
export function hostTopology(host: SimHost): Topology {
  const cores = host.spec.cores;
  const sockets = cores >= 16 && cores % 2 === 0 ? 2 : 1;
  return { sockets, coresPerSocket: cores / sockets, threads: 1, cells: sockets };
}

export function capabilitiesXml(host: SimHost): string {
  const info = CPU_MODEL_INFO[host.spec.cpuModel];
  const topo = hostTopology(host);
  const total = host.totalKiB();
  const l: string[] = [];
  l.push("<capabilities>", "", "  <host>", `    <uuid>${host.uuid}</uuid>`, "    <cpu>", "      <arch>x86_64</arch>");
  l.push(`      <model>${host.spec.cpuModel}</model>`, `      <vendor>${info.vendor}</vendor>`);
  l.push(`      <microcode version='${info.microcode}'/>`);
  l.push(`      <signature family='${info.family}' model='${info.model}' stepping='${info.stepping}'/>`);
  l.push(`      <counter name='tsc' frequency='${info.mhz * 1_000_000}' scaling='no'/>`);
  l.push(
    `      <topology sockets='${topo.sockets}' dies='1' cores='${topo.coresPerSocket}' threads='${topo.threads}'/>`,
  );
  l.push(`      <maxphysaddr mode='emulate' bits='${info.vendor === "Intel" ? 46 : 48}'/>`);
  for (const f of info.hostExtras) l.push(`      <feature name='${f}'/>`);
  l.push(
    "      <pages unit='KiB' size='4'/>",
    "      <pages unit='KiB' size='2048'/>",
    "      <pages unit='KiB' size='1048576'/>",
  );
  l.push(
    "    </cpu>",
    "    <power_management/>",
    "    <iommu support='yes'/>",
    "    <migration_features>",
    "      <live/>",
  );
  l.push(
    "      <uri_transports>",
    "        <uri_transport>tcp</uri_transport>",
    "        <uri_transport>rdma</uri_transport>",
  );
  l.push("      </uri_transports>", "    </migration_features>", "    <topology>", `      <cells num='${topo.cells}'>`);
  const perCell = Math.floor(total / topo.cells);
  const cpusPerCell = topo.coresPerSocket * topo.threads;
  for (let c = 0; c < topo.cells; c++) {
    l.push(`        <cell id='${c}'>`, `          <memory unit='KiB'>${perCell}</memory>`);
    l.push(`          <pages unit='KiB' size='4'>${Math.floor(perCell / 4)}</pages>`);
    l.push(
      "          <pages unit='KiB' size='2048'>0</pages>",
      "          <pages unit='KiB' size='1048576'>0</pages>",
      "          <distances>",
    );
    for (let s = 0; s < topo.cells; s++) l.push(`            <sibling id='${s}' value='${s === c ? 10 : 21}'/>`);
    l.push("          </distances>", `          <cpus num='${cpusPerCell}'>`);
    for (let k = 0; k < cpusPerCell; k++) {
      const id = c * cpusPerCell + k;
      l.push(`            <cpu id='${id}' socket_id='${c}' die_id='0' core_id='${k}' siblings='${id}'/>`);
    }
    l.push("          </cpus>", "        </cell>");
  }
  l.push("      </cells>", "    </topology>", "    <cache>");
  for (let c = 0; c < topo.cells; c++) {
    const first = c * cpusPerCell;
    l.push(
      `      <bank id='${c}' level='3' type='both' size='${info.vendor === "Intel" ? 33 : 128}' unit='MiB' cpus='${first}-${first + cpusPerCell - 1}'/>`,
    );
  }
  l.push("    </cache>", "    <secmodel>", "      <model>none</model>", "      <doi>0</doi>", "    </secmodel>");
  l.push("    <secmodel>", "      <model>dac</model>", "      <doi>0</doi>");
  l.push("      <baselabel type='kvm'>+64055:+994</baselabel>", "      <baselabel type='qemu'>+64055:+994</baselabel>");
  l.push("    </secmodel>", "  </host>", "");
  return `${l.join("\n")}\n${GUEST_CAPABILITIES}\n</capabilities>\n`;
}
