// Queuing a migration the way the start action does, and following it by ticking the worker: what
// the integration tests against the simulated fleet share.
import { db } from "@/lib/db/client";
import { enqueueMigration } from "@/lib/db/enqueue-migration";
import { launchOptions } from "@/lib/schemas/migrations";

/** The defaults without auto-converge: plain pre-copy; each test adds what it is about (bandwidth, post-copy…). */
const PLAIN_OPTIONS = {
  ...launchOptions.parse({}),
  autoConverge: { enabled: false, initial: 20, increment: 10 },
};

type VmRow = { uuid: string; name: string; hostId: string; memoryBytes: bigint; vcpus: number };

/** Queues `vm` (its inventory row) to `destHostId`, from the row's host unless `sourceHostId` says otherwise. */
export async function queueMigration(
  vm: VmRow,
  destHostId: string,
  opts: { sourceHostId?: string; windowId?: string; options?: Record<string, unknown> } = {},
): Promise<string> {
  const m = await db.$transaction((tx) =>
    enqueueMigration(tx, {
      vmUuid: vm.uuid,
      vmName: vm.name,
      sourceHostId: opts.sourceHostId ?? vm.hostId,
      destHostId,
      memoryBytes: vm.memoryBytes,
      vcpus: vm.vcpus,
      windowId: opts.windowId,
      options: { ...PLAIN_OPTIONS, ...opts.options },
    }),
  );
  return m.id;
}

/**
 * Runs `tick` (a worker loop's) and then checks `done`, every `everyMs`, until it holds; fails after
 * `ms`. Fault tests ignore tick errors: the worker keeps going through outages and so does the test.
 */
export async function tickUntil(
  done: () => Promise<boolean>,
  opts: { ms: number; tick: () => Promise<void>; everyMs?: number; what?: string; ignoreTickErrors?: boolean },
): Promise<void> {
  const end = Date.now() + opts.ms;
  while (Date.now() < end) {
    await (opts.ignoreTickErrors ? opts.tick().catch(() => undefined) : opts.tick());
    if (await done()) return;
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 200));
  }
  throw new Error(`timed out after ${opts.ms} ms${opts.what ? `: ${opts.what}` : ""}`);
}
