// Puts the fleet back after a spec changed it: migrations the spec left running are aborted through
// the console (as an operator would; the hypervisor's job really stops), and VMs go back to hv1 the
// way any migration runs (queued rows the worker launches) until hv1's inventory shows them again.
import { readFileSync } from "node:fs";
import path from "node:path";
import { type Browser, expect } from "@playwright/test";
import pg from "pg";
import { login } from "./fixtures";

type Q = <T extends pg.QueryResultRow>(text: string, params?: unknown[]) => Promise<T[]>;

async function until(what: string, ok: () => Promise<boolean>, ms: number): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 500)))
    if (await ok()) return;
  throw new Error(`restoring the fleet: ${what} did not happen within ${ms / 1000} s`);
}

const activeMigrations = async (q: Q) =>
  Number(
    (
      await q<{ n: string }>(
        `SELECT count(*)::text AS n FROM "LiveMigration" WHERE state IN ('queued', 'launching', 'running', 'postcopy')`,
      )
    )[0]?.n,
  );

async function withDb<T>(fn: (q: Q) => Promise<T>): Promise<T> {
  const { databaseUrl } = JSON.parse(readFileSync(path.join(process.cwd(), ".data/e2e/state.json"), "utf8")) as {
    databaseUrl: string;
  };
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(async (text, params) => (await client.query(text, params as unknown[])).rows);
  } finally {
    await client.end();
  }
}

/** Aborts, from each one's live page, the migrations of `vm` queued since `since` that have not ended. */
export async function abortLeftOver(browser: Browser, baseURL: string, vm: string, since: Date): Promise<void> {
  const ids = await withDb(async (q) =>
    (
      await q<{ id: string }>(
        `SELECT id FROM "LiveMigration" WHERE "vmName" = $1 AND "createdAt" >= $2
         AND state IN ('queued', 'launching', 'running', 'postcopy')`,
        [vm, since],
      )
    ).map((r) => r.id),
  );
  if (!ids.length) return;
  const page = await browser.newPage({ baseURL });
  try {
    await login(page, "operator");
    for (const id of ids) {
      await page.goto(`/migrations/${id}`);
      const state = page.getByTestId("migration-state");
      if (/queued|launching|running/.test((await state.getAttribute("data-state")) ?? "")) {
        await page.getByRole("button", { name: "Abort migration" }).click();
        await page.getByLabel(`Type ${vm} to confirm`).fill(vm);
        await page.getByRole("button", { name: "Yes, abort it" }).click();
      }
      await expect(state).toHaveAttribute("data-state", /cancelled|completed|failed|lost/, { timeout: 30_000 });
    }
  } finally {
    await page.close();
  }
}

/** Waits for in-flight migrations to end, then migrates `vms` back to hv1. */
export async function returnToHv1(vms: string[]): Promise<void> {
  await withDb(async (q) => {
    await until("in-flight migrations ending", async () => (await activeMigrations(q)) === 0, 120_000);
    // Back to hv1 the way any migration runs (queued rows the worker launches). Convoy's pre-checks
    // would refuse it (hv2's Cascade Lake → hv1's older Skylake), but these guests were defined on hv1.
    const away = await q<{
      uuid: string;
      name: string;
      memoryBytes: string;
      vcpus: number;
      hostId: string;
      disks: { target: string; device: string; readonly: boolean; shared: boolean }[];
    }>(
      `SELECT v.uuid, v.name, v."memoryBytes"::text AS "memoryBytes", v.vcpus, v."hostId", v.disks FROM "Vm" v JOIN "Host" h ON h.id = v."hostId"
       WHERE v.name = ANY($1) AND h.name <> 'hv1' AND v.state = 'running'`,
      [vms],
    );
    const [hv1] = await q<{ id: string }>(`SELECT id FROM "Host" WHERE name = 'hv1'`);
    for (const vm of away) {
      const local = vm.disks.filter((d) => d.device === "disk" && !d.readonly && !d.shared).map((d) => d.target);
      const options = {
        maxDowntimeMs: 300,
        autoConverge: { enabled: true, initial: 20, increment: 10 },
        postcopy: false,
        copyStorage: local.length > 0,
        ...(local.length ? { migrateDisks: local } : {}),
        compressed: false,
        tls: false,
        persistent: true,
        undefineSource: true,
      };
      await q(
        `INSERT INTO "LiveMigration" (id, "vmUuid", "vmName", "sourceHostId", "destHostId", state, options, "memoryBytes", vcpus)
         VALUES (gen_random_uuid()::text, $1, $2, $3, $4, 'queued', $5, $6::bigint, $7)`,
        [vm.uuid, vm.name, vm.hostId, hv1?.id, JSON.stringify(options), vm.memoryBytes, vm.vcpus],
      );
    }
    await until("the VMs landing back on hv1", async () => (await activeMigrations(q)) === 0, 180_000);
    await q(`UPDATE "Host" SET status = 'active' WHERE name = 'hv1'`);
    await until(
      "hv1's inventory showing its VMs",
      async () =>
        Number(
          (
            await q<{ n: string }>(
              `SELECT count(*)::text AS n FROM "Vm" v JOIN "Host" h ON h.id = v."hostId" WHERE h.name = 'hv1' AND v.state = 'running' AND v.name = ANY($1)`,
              [vms],
            )
          )[0]?.n,
        ) === vms.length,
      60_000,
    );
  });
}
