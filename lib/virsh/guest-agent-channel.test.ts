import { describe, expect, it } from "vitest";
import { hasGuestAgentChannel } from "./parse-dumpxml";

// The channel libvirt adds for the QEMU guest agent (<channel type='unix'> … <target type='virtio'
// name='org.qemu.guest_agent.0'/>); the health check pings the agent only when it is there.
const domain = (devices: string) =>
  `<domain type='kvm'>\n  <name>vm1</name>\n  <devices>\n${devices}\n  </devices>\n</domain>\n`;

describe("hasGuestAgentChannel", () => {
  it("finds the agent channel among the devices", () => {
    const xml = domain(`    <channel type='unix'>
      <source mode='bind' path='/var/lib/libvirt/qemu/channel/target/domain-1-vm1/org.qemu.guest_agent.0'/>
      <target type='virtio' name='org.qemu.guest_agent.0' state='connected'/>
      <alias name='channel0'/>
      <address type='virtio-serial' controller='0' bus='0' port='1'/>
    </channel>`);
    expect(hasGuestAgentChannel(xml)).toBe(true);
  });

  it("other channels or none: no agent (the lab guests have none)", () => {
    expect(
      hasGuestAgentChannel(
        domain(
          `    <channel type='spicevmc'>\n      <target type='virtio' name='com.redhat.spice.0'/>\n    </channel>`,
        ),
      ),
    ).toBe(false);
    expect(hasGuestAgentChannel(domain(`    <serial type='pty'><target port='0'/></serial>`))).toBe(false);
  });
});
