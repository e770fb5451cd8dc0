// Deeply nested text in every parser of user input (issue 13, class 2). yaml's composer recursing
// into ~1,500 levels of `[` or `{"a":` (4 KB) made V8 abort the whole web server inside a regexp
// ("RegExpCompiler Allocation failed"): no try/catch survives that, so the crash check runs in a
// child process, sweeping depths across the window where the old code died. The rest goes through
// the real server actions (session, zod, audit, real Postgres) and expects a clear INVALID answer.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { jsonDepth, ParseLimitError, parseJsonLimited, parseYamlLimited, valueDepth } from "@/lib/parse/safe-parse";

let caller: SessionUser | null = null;
vi.mock("@/lib/auth/session", async (importOriginal) => ({
  ...(await importOriginal<typeof import("@/lib/auth/session")>()),
  getSession: async () => caller,
}));

const { db } = await import("@/lib/db/client");
const { importInventoryAction } = await import("@/lib/actions/hosts");
const { savePolicyAction } = await import("@/lib/actions/policies");
const { parseQmpReply } = await import("@/lib/virsh/parse-qmp");
const { qemuMonitorCommand } = await import("@/lib/virsh/commands");

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Each way to nest: JSON arrays/objects, YAML flow, YAML block maps, compact sequences, aliases. */
const NESTINGS: Record<string, (n: number) => string> = {
  "json arrays": (n) => `${"[".repeat(n)}${"]".repeat(n)}`,
  "json objects": (n) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`,
  "yaml flow maps": (n) => `${"{a: ".repeat(n)}1${"}".repeat(n)}`,
  "yaml block maps": (n) => `${Array.from({ length: n }, (_, i) => `${" ".repeat(i)}a:`).join("\n")} 1`,
  "yaml compact sequences": (n) => `${"- ".repeat(n)}1`,
  "yaml explicit keys": (n) => `${"? ".repeat(n)}1`,
};

/** Aliases nest without nesting the text: each anchor holds the previous one 30 levels down. */
function aliasChain(links: number): string {
  const lines = [`l0: &l0 ${"[".repeat(30)}1${"]".repeat(30)}`];
  for (let i = 1; i <= links; i++) lines.push(`l${i}: &l${i} ${"[".repeat(30)}*l${i - 1}${"]".repeat(30)}`);
  return lines.join("\n");
}

describe("the shared limits (lib/parse/safe-parse.ts)", () => {
  it("measures JSON depth outside strings only", () => {
    expect(jsonDepth('{"a":[1,{"b":"[[[[{{{"}]}')).toBe(3);
    expect(jsonDepth('["\\"[[[", [[]]]')).toBe(3);
    expect(jsonDepth("[".repeat(10_000), 64)).toBe(65); // stops counting past the limit
  });

  it("accepts real documents and refuses every deep nesting with the limit in the message", () => {
    expect(
      parseYamlLimited("hosts:\n  - name: a\n    sharedStoragePrefixes: [/x]\n    privateKey: |\n      k\n", "x"),
    ).toEqual({
      hosts: [{ name: "a", sharedStoragePrefixes: ["/x"], privateKey: "k\n" }],
    });
    expect(parseYamlLimited(`${"[".repeat(64)}${"]".repeat(64)}`, "x")).toBeDefined();
    for (const [kind, make] of Object.entries(NESTINGS)) {
      expect(() => parseYamlLimited(make(2_000), "The text"), kind).toThrow(/nested too deeply \(at most 64 levels\)/);
      if (kind.startsWith("json"))
        expect(() => parseJsonLimited(make(2_000), "The text"), kind).toThrow(ParseLimitError);
    }
    expect(() => parseYamlLimited(aliasChain(3), "The text")).toThrow(/nested too deeply/);
    expect(() => parseYamlLimited("a".repeat(101), "The text", { maxChars: 100, maxDepth: 64 })).toThrow(/too large/);
  });

  it("counts shared nodes once per level and a cycle as too deep", () => {
    const leaf = { x: [1] };
    let wide: unknown = leaf;
    for (let i = 0; i < 60; i++) wide = [wide, wide]; // 2^60 paths, 61 distinct nodes
    expect(valueDepth(wide, 64)).toBe(62);
    const cycle: unknown[] = [];
    cycle.push(cycle);
    expect(valueDepth(cycle, 64)).toBe(65);
  });
});

describe("the process survives", () => {
  // The old import aborted the process somewhere in each sweep of 1,500–1,700 and 2,000–2,200 levels
  // (SIGABRT, "RegExpCompiler Allocation failed"; 700–900 survived): sweep past that in a child.
  it("a sweep of deep inventories through importInventory (child process)", async () => {
    const script = `
      const { importInventory } = await import(${JSON.stringify(path.join(ROOT, "lib/hosts/import-inventory.ts"))});
      const make = { arr: (n) => "[".repeat(n) + "]".repeat(n), obj: (n) => '{"a":'.repeat(n) + "1" + "}".repeat(n) };
      for (const kind of ["arr", "obj"]) for (let n = 900; n <= 2300; n += 7) {
        try { await importInventory(make[kind](n), null); } catch {} // any answer will do: only an abort fails
      }
      console.log("survived");`;
    const run = promisify(execFile)(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: ROOT,
        timeout: 120_000,
      },
    );
    await expect(run.then((r) => r.stdout.trim())).resolves.toBe("survived");
  }, 150_000);
});

describe("through the real server actions", () => {
  beforeAll(async () => {
    const admin = await db.user.create({
      data: { username: `depth-admin-${process.pid}`, role: "admin", passwordHash: "x" },
    });
    caller = { id: admin.id, username: admin.username, role: "admin", sessionId: "s" };
  });
  afterAll(async () => {
    await db.$disconnect();
  });

  it("an inventory of each nesting is refused as INVALID, nothing created, the refusal audited", async () => {
    const hostsBefore = await db.host.count();
    for (const [kind, make] of Object.entries({ ...NESTINGS, "yaml aliases": (_n: number) => aliasChain(3) })) {
      const inside =
        kind.startsWith("json") || kind === "yaml flow maps"
          ? [`{"hosts": [{"name": "deep", "address": ${make(2_000)}}]}`]
          : [];
      for (const text of [make(2_000), ...inside]) {
        const r = await importInventoryAction({ text });
        expect(r, kind).toMatchObject({ ok: false, code: "INVALID" });
        if (!r.ok) expect(r.message, kind).toMatch(/^The inventory is nested too deeply \(at most 64 levels\)$/);
      }
    }
    expect(await db.host.count()).toBe(hostsBefore);
    const audited = await db.auditLog.count({ where: { actorId: caller?.id, action: "host.import", result: "error" } });
    expect(audited).toBeGreaterThanOrEqual(Object.keys(NESTINGS).length + 1);
  });

  it("a policy nested deeply is refused as INVALID with the limit", async () => {
    for (const kind of ["json arrays", "json objects"] as const) {
      const deep = NESTINGS[kind]?.(1_900) ?? "";
      for (const json of [deep, `{"name":"deep","steps":${deep}}`]) {
        const r = await savePolicyAction({ json });
        expect(r, kind).toEqual({
          ok: false,
          code: "INVALID",
          message: "The policy is nested too deeply (at most 64 levels)",
        });
      }
    }
  });

  it("a hostile hypervisor's QMP reply and a QMP command string are refused, not walked", () => {
    expect(() => parseQmpReply(`{"return":${NESTINGS["json arrays"]?.(5_000)}}`)).toThrow(/nested too deeply/);
    expect(() => qemuMonitorCommand("qemu:///system", "vm1", NESTINGS["json objects"]?.(5_000) ?? "")).toThrow(
      /nested too deeply/,
    );
  });
});
