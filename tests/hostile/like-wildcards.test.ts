// `%` and `_` in the VM-name filter of the migrations history (issue 13, class 6) used to act as
// LIKE wildcards: `%` listed every migration. Real Postgres, the real query.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { likeLiteral } from "@/lib/db/like";

const { db } = await import("@/lib/db/client");
const { listMigrationHistory } = await import("@/lib/db/migrations");
const { seal } = await import("@/lib/crypto/secret-box");

const P = `lk${process.pid}-`;
const NAMES = ["a%b", "axxb", "a_c", "abc", "a\\d", "aXd"].map((n) => P + n);

beforeAll(async () => {
  const host = (name: string) =>
    db.host.create({
      data: { name: `${P}${name}`, address: "127.0.0.1", sshUser: "root", privateKeyEnc: seal("k"), status: "active" },
    });
  const [src, dst] = [await host("src"), await host("dst")];
  for (const vmName of NAMES) {
    await db.liveMigration.create({
      data: {
        vmUuid: crypto.randomUUID(),
        vmName,
        sourceHostId: src.id,
        destHostId: dst.id,
        state: "completed",
        options: {},
        memoryBytes: 1n,
        vcpus: 1,
      },
    });
  }
});
afterAll(() => db.$disconnect());

// Only this file's rows: other test files share the database and may hold names with % too.
const names = async (vm: string) =>
  (await listMigrationHistory({ vm, take: 10_000 }))
    .map((m) => m.vmName)
    .filter((n) => n.startsWith(P))
    .sort();

describe("the VM-name filter matches text literally", () => {
  it("escapes the wildcards and the escape character", () => {
    expect(likeLiteral("50%_off\\x")).toBe("50\\%\\_off\\\\x");
  });

  it("% and _ match only themselves; a backslash too; case still does not matter", async () => {
    expect(await names("%")).toEqual([`${P}a%b`]);
    expect(await names(`${P}a%b`)).toEqual([`${P}a%b`]);
    expect(await names(`${P}a_c`)).toEqual([`${P}a_c`]);
    expect(await names("_")).toEqual([`${P}a_c`]);
    expect(await names(`${P}a\\d`)).toEqual([`${P}a\\d`]);
    expect(await names(`${P.toUpperCase()}ABC`)).toEqual([`${P}abc`]);
  });
});
