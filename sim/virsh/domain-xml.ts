// `virsh dumpxml` for a simulated KVM guest, laid out like libvirt 9.0's live XML (capture
// inventory-hv1-dumpxml.txt): q35 machine, custom CPU model of the host it was defined on,
// qcow2 virtio disks with <readonly/> where the fleet file says so. Runtime-only parts (id, aliases,
// source index, resource partition, seclabel) appear only for an active domain, as in libvirt.
import { CPU_MODEL_INFO } from "../model/cpu-models";
import type { Domain } from "../model/domain";
import { isActive } from "../model/domain-state";

export function domainXml(d: Domain, opts: { inactive?: boolean; migratable?: boolean } = {}): string {
  const live = isActive(d.status) && !opts.inactive;
  const runtime = live && !opts.migratable;
  const hex = (n: number) => `0x${n.toString(16).padStart(2, "0")}`;
  const l: string[] = [];
  l.push(live && !opts.migratable ? `<domain type='kvm' id='${d.id}'>` : "<domain type='kvm'>");
  l.push(`  <name>${xmlText(d.name)}</name>`, `  <uuid>${d.uuid}</uuid>`);
  l.push(`  <memory unit='KiB'>${d.memoryKiB}</memory>`, `  <currentMemory unit='KiB'>${d.memoryKiB}</currentMemory>`);
  l.push(`  <vcpu placement='static'>${d.vcpus}</vcpu>`);
  if (runtime) l.push("  <resource>", "    <partition>/machine</partition>", "  </resource>");
  l.push("  <os>", "    <type arch='x86_64' machine='pc-q35-7.2'>hvm</type>", "    <boot dev='hd'/>", "  </os>");
  l.push("  <features>", "    <acpi/>", "    <apic/>", "  </features>");
  l.push(`  <cpu mode='custom' match='exact' check='${live ? "full" : "partial"}'>`);
  l.push(
    `    <model fallback='forbid'>${d.cpuModel}</model>`,
    `    <vendor>${CPU_MODEL_INFO[d.cpuModel].vendor}</vendor>`,
  );
  l.push(`    <topology sockets='1' dies='1' cores='${d.vcpus}' threads='1'/>`, "  </cpu>");
  l.push(
    "  <clock offset='utc'/>",
    "  <on_poweroff>destroy</on_poweroff>",
    "  <on_reboot>restart</on_reboot>",
    "  <on_crash>destroy</on_crash>",
  );
  l.push("  <devices>", "    <emulator>/usr/bin/qemu-system-x86_64</emulator>");
  d.disks.forEach((k, i) => {
    l.push("    <disk type='file' device='disk'>", "      <driver name='qemu' type='qcow2' cache='none'/>");
    l.push(
      runtime
        ? `      <source file='${xmlText(k.path)}' index='${d.disks.length - i}'/>`
        : `      <source file='${xmlText(k.path)}'/>`,
    );
    if (runtime) l.push("      <backingStore/>");
    l.push(`      <target dev='${k.target}' bus='virtio'/>`);
    if (k.readonly) l.push("      <readonly/>");
    if (runtime) l.push(`      <alias name='virtio-disk${i}'/>`);
    l.push(`      <address type='pci' domain='0x0000' bus='${hex(i + 3)}' slot='0x00' function='0x0'/>`, "    </disk>");
  });
  const ports = d.disks.length + 3;
  const alias = (name: string) => (runtime ? [`      <alias name='${name}'/>`] : []);
  l.push("    <controller type='usb' index='0' model='none'>", ...alias("usb"), "    </controller>");
  l.push(
    "    <controller type='sata' index='0'>",
    ...alias("ide"),
    "      <address type='pci' domain='0x0000' bus='0x00' slot='0x1f' function='0x2'/>",
    "    </controller>",
  );
  l.push("    <controller type='pci' index='0' model='pcie-root'>", ...alias("pcie.0"), "    </controller>");
  for (let p = 1; p <= ports; p++) {
    l.push(`    <controller type='pci' index='${p}' model='pcie-root-port'>`, "      <model name='pcie-root-port'/>");
    l.push(`      <target chassis='${p}' port='${hex(7 + p)}'/>`, ...alias(`pci.${p}`));
    const fn = (p - 1) % 8;
    l.push(
      `      <address type='pci' domain='0x0000' bus='0x00' slot='${hex(1 + Math.floor((p - 1) / 8))}' function='0x${fn}'${fn === 0 ? " multifunction='on'" : ""}/>`,
    );
    l.push("    </controller>");
  }
  l.push("    <serial type='pty'>");
  if (runtime) l.push("      <source path='/dev/pts/0'/>");
  l.push(
    "      <target type='isa-serial' port='0'>",
    "        <model name='isa-serial'/>",
    "      </target>",
    ...alias("serial0"),
    "    </serial>",
  );
  l.push(runtime ? "    <console type='pty' tty='/dev/pts/0'>" : "    <console type='pty'>");
  if (runtime) l.push("      <source path='/dev/pts/0'/>");
  l.push("      <target type='serial' port='0'/>", ...alias("serial0"), "    </console>");
  l.push("    <input type='mouse' bus='ps2'>", ...alias("input0"), "    </input>");
  l.push("    <input type='keyboard' bus='ps2'>", ...alias("input1"), "    </input>");
  l.push("    <audio id='1' type='none'/>");
  l.push(
    "    <memballoon model='virtio'>",
    ...alias("balloon0"),
    `      <address type='pci' domain='0x0000' bus='${hex(2)}' slot='0x00' function='0x0'/>`,
    "    </memballoon>",
  );
  l.push("  </devices>");
  if (runtime) {
    l.push(
      "  <seclabel type='dynamic' model='dac' relabel='yes'>",
      "    <label>+64055:+994</label>",
      "    <imagelabel>+64055:+994</imagelabel>",
      "  </seclabel>",
    );
  }
  l.push("</domain>");
  return `${l.join("\n")}\n`;
}

/** libvirt escapes names and paths in its XML (virBufferEscapeString): so does the sim. */
function xmlText(s: string): string {
  return s
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll("'", "&apos;")
    .replaceAll('"', "&quot;");
}
