import "server-only";
import { db } from "@/lib/db/client";

// Reads only the load bench makes (scripts/bench/load.ts).

export async function hostIdsByName(): Promise<Map<string, string>> {
  return new Map((await db.host.findMany({ select: { id: true, name: true } })).map((h) => [h.name, h.id]));
}

/** VMs whose name starts with `prefix`, with their host's name, by name. */
export function vmsNamed(prefix: string) {
  return db.vm.findMany({
    where: { name: { startsWith: prefix } },
    include: { host: { select: { name: true } } },
    orderBy: { name: "asc" },
  });
}
