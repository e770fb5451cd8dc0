// Convoy against a malicious simulated fleet (sim/fleets/hostile.yaml) over real SSH and a real
// Postgres: VM names that are shell payloads, markup or option-looking; garbage, binary, negative
// and 10 MiB answers; a rotated host key. Names are stored verbatim or refused clearly, every
// argument sent back is quoted (a migration of `$(touch …)` arrives under exactly that name and
// nothing is touched), parsers refuse garbage with their name in the message, output is capped.
import { existsSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningFleet } from "@/sim/fleet";
import { loadFleetFile } from "@/sim/fleet-file";
import { PWNED_PATH } from "./corpus";
import { useIsolatedDatabase } from "../support/isolated-db";

// Own database: the worker loops below claim every queued migration and due host they can see.
const dropDatabase = await useIsolatedDatabase("hostile_fleet");
const { db } = await import("@/lib/db/client");
const { registerFleetHosts, startTestFleet } = await import("../support/sim-fleet");
const { queueMigration } = await import("../support/migrations");
const { getSshTarget } = await import("@/lib/db/hosts");
const { saveInventory } = await import("@/lib/db/inventory");
const { collectInventory } = await import("@/lib/inventory/collect");
const { precheck } = await import("@/lib/migration-ops/prechecks");
const { getSshPool } = await import("@/lib/ssh/pool");
const { SshError } = await import("@/lib/ssh/errors");
const { VirshParseError } = await import("@/lib/virsh/errors");
const { MigrationLoop } = await import("@/lib/worker/migration-loop");
const { refreshInventoryOnce } = await import("@/lib/worker/inventory-refresh");

let fleet: RunningFleet;
let hostIds = new Map<string, string>();
const SHELL_NAMES = ["$(touch /tmp/convoy-pwned)", "`touch /tmp/convoy-pwned`", "a'b\"c; touch /tmp/convoy-pwned"];

beforeAll(async () => {
  fleet = await startTestFleet(loadFleetFile("sim/fleets/hostile.yaml"), 50);
  // Not due for the worker's refresh until a test asks for it.
  hostIds = await registerFleetHosts(fleet, { inventory: false, lastCheckedAt: new Date(Date.now() + 3_600_000) });
}, 60_000);

afterAll(async () => {
  await getSshPool().closeAll();
  await fleet?.stop();
  await db.$disconnect();
  await dropDatabase();
});

async function inventoryOf(host: string) {
  const target = await getSshTarget(hostIds.get(host) ?? "");
  if (!target) throw new Error(`no target for ${host}`);
  return collectInventory(getSshPool(), target, "qemu:///system", ["/mnt/shared/"]);
}

async function failureOf(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error("expected a failure");
    },
    (e: Error) => e,
  );
}

const pwnedAnywhere = () => existsSync(PWNED_PATH) || fleet.state.hosts.some((h) => h.fs.read(PWNED_PATH) !== "ENOENT");

describe("a hostile hypervisor", () => {
  it("has its VM names stored verbatim; an option-looking name is left out, not passed to virsh", async () => {
    const inv = await inventoryOf("hv-evil");
    const names = inv.vms.map((v) => v.name).sort();
    const expected = fleet.state.host("hv-evil")?.domains;
    expect(names).toEqual([...(expected?.keys() ?? [])].filter((n) => n !== "--help").sort());
    expect(inv.skipped).toEqual([
      { name: "--help", reason: "invalid domain: must not start with '-' (virsh would read an option)" },
    ]);
    await saveInventory(hostIds.get("hv-evil") ?? "", inv.facts, inv.vms);
    const stored = await db.vm.findMany({ where: { hostId: hostIds.get("hv-evil") }, select: { name: true } });
    expect(stored.map((v) => v.name).sort()).toEqual(names);
    expect(pwnedAnywhere()).toBe(false);
  });

  it("a name with a newline makes `virsh list` unparseable: refused with the parser's reason", async () => {
    const e = await failureOf(inventoryOf("hv-newline"));
    expect(e).toBeInstanceOf(VirshParseError);
    expect(e.message).toMatch(/^parseList: unrecognised row/);
  });

  it("a 10 MiB answer is cut off at the output cap with a clear error", async () => {
    const e = await failureOf(inventoryOf("hv-flood"));
    expect(e).toBeInstanceOf(SshError);
    expect(e.message).toContain("output larger than 4 MiB: refused and stopped");
  });

  it("binary garbage and negative or NaN numbers are refused by the parsers", async () => {
    const bin = await failureOf(inventoryOf("hv-binary"));
    expect(bin).toBeInstanceOf(VirshParseError);
    expect(bin.message).toMatch(/^parseNodeInfo: /);
    expect(bin.message.length).toBeLessThan(400);
    const neg = await failureOf(inventoryOf("hv-negative"));
    expect(neg).toBeInstanceOf(VirshParseError);
    expect(neg.message).toMatch(/^parseNodeMemStats: /);
  });

  it("markup in the CPU model is kept as text", async () => {
    const inv = await inventoryOf("hv-markup");
    expect(inv.facts.cpuModel).toBe("<img src=x onerror=window.__pwned=1> $(reboot)");
  });

  it("the worker records each failure on its host and keeps going", async () => {
    await db.host.updateMany({
      where: { name: { in: ["hv-newline", "hv-flood", "hv-binary", "hv-negative", "hv-markup"] } },
      data: { lastCheckedAt: null },
    });
    await refreshInventoryOnce();
    const hosts = await db.host.findMany({
      where: { name: { in: ["hv-newline", "hv-flood", "hv-binary", "hv-negative", "hv-markup"] } },
    });
    const byName = Object.fromEntries(hosts.map((h) => [h.name, h]));
    expect(byName["hv-flood"]).toMatchObject({
      lastErrorKind: "exit",
      lastError: expect.stringContaining("output larger than 4 MiB"),
    });
    expect(byName["hv-newline"]).toMatchObject({
      lastErrorKind: "parse",
      lastError: expect.stringContaining("parseList"),
    });
    expect(byName["hv-binary"]?.lastErrorKind).toBe("parse");
    expect(byName["hv-negative"]?.lastErrorKind).toBe("parse");
    expect(byName["hv-markup"]).toMatchObject({
      lastErrorKind: null,
      cpuModel: "<img src=x onerror=window.__pwned=1> $(reboot)",
    });
  });

  it("migrates VMs named like shell payloads: the names arrive intact and nothing runs", async () => {
    await saveInventory(hostIds.get("hv-safe") ?? "", (await inventoryOf("hv-safe")).facts, []);
    const ids: string[] = [];
    for (const name of SHELL_NAMES) {
      const vm = await db.vm.findFirstOrThrow({ where: { name, hostId: hostIds.get("hv-evil") } });
      const report = await precheck(vm.id, hostIds.get("hv-safe") ?? "");
      expect(report.vm.name).toBe(name);
      ids.push(await queueMigration(vm, hostIds.get("hv-safe") ?? ""));
    }
    const loop = new MigrationLoop("hostile-worker");
    const end = Date.now() + 60_000;
    for (;;) {
      await loop.tick();
      const states = await db.liveMigration.findMany({
        where: { id: { in: ids } },
        select: { state: true, error: true },
      });
      if (states.every((s) => s.state === "completed")) break;
      if (states.some((s) => ["failed", "lost", "cancelled"].includes(s.state)) || Date.now() > end)
        throw new Error(`migrations: ${JSON.stringify(states)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const landed = [...(fleet.state.host("hv-safe")?.domains.keys() ?? [])];
    for (const name of SHELL_NAMES) expect(landed).toContain(name);
    expect(pwnedAnywhere()).toBe(false);
    // What the source's shell ran: each name is exactly one argv word of virsh calls (dominfo,
    // domstate, migrate…), never split, and no other program (touch) was started.
    const started = fleet.state.host("hv-evil")?.procs.started ?? [];
    // (setsid … & echo $! is the detached launch of lib/virsh/commands.ts `detached`; settling reads
    // its log with cat and asks kill -0 whether virsh still runs before it judges the outcome.)
    expect([...new Set(started.map((argv) => argv[0]))].sort()).toEqual(["cat", "echo", "kill", "setsid", "virsh"]);
    for (const name of SHELL_NAMES) {
      const uses = started.filter((argv) => argv.some((w) => w.includes("touch")) && argv.includes(name));
      expect(uses.length, name).toBeGreaterThan(2);
      expect(
        started.filter((argv) => argv.some((w) => w.includes(name) && w !== name)),
        name,
      ).toEqual([]);
    }
  });

  it("a rotated host key is refused for every SSH use and audited once", async () => {
    const hostId = hostIds.get("hv-safe") ?? "";
    fleet.control.rotateHostKey("hv-safe");
    getSshPool().drop(hostId);
    const direct = await failureOf(inventoryOf("hv-safe"));
    expect(direct).toMatchObject({ kind: "host-key" });
    await db.host.update({ where: { id: hostId }, data: { lastCheckedAt: null } });
    await refreshInventoryOnce();
    await db.host.update({ where: { id: hostId }, data: { lastCheckedAt: null } });
    await refreshInventoryOnce();
    expect(await db.host.findUniqueOrThrow({ where: { id: hostId } })).toMatchObject({ lastErrorKind: "host-key" });
    expect(await db.auditLog.count({ where: { action: "host.key-mismatch", targetId: hostId } })).toBe(1);
    // Pre-checks read the destination over SSH too: it is reported unreachable with the reason.
    const vm = await db.vm.findFirstOrThrow({ where: { name: "vm with  spaces & *" } });
    const report = await precheck(vm.id, hostId);
    expect(JSON.stringify(report.chosen?.result ?? report)).toContain("Host key mismatch");
  });
});
