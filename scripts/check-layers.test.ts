import { describe, expect, it } from "vitest";
import { checkPrismaUse, folderCycles, importsTypesOnly, libImports } from "./check-layers";

describe("check-layers: Prisma only in lib/db", () => {
  it("accepts queries inside lib/db and named lib/db functions elsewhere", () => {
    expect(checkPrismaUse("lib/db/hosts.ts", `export const f = () => db.host.findMany();\n`)).toEqual([]);
    expect(
      checkPrismaUse(
        "lib/worker/x.ts",
        `import { db } from "@/lib/db/client";\nawait addEvent(db, e);\nawait listHosts();\n`,
      ),
    ).toEqual([]);
  });
  it("rejects model calls on the client or a transaction outside lib/db", () => {
    expect(checkPrismaUse("lib/alerts/outbox.ts", `await db.alertDelivery.update({ where });\n`)).toHaveLength(1);
    expect(checkPrismaUse("app/page.tsx", `const n = await tx.liveMigration.count();\n`)).toHaveLength(1);
  });
  it("rejects raw SQL, transactions and disconnects outside lib/db", () => {
    const src =
      "await db.$queryRaw`SELECT 1`;\nawait db.$transaction(f);\nawait client.$executeRaw`x`;\nawait db.$disconnect();\n";
    expect(checkPrismaUse("scripts/seed.ts", src)).toHaveLength(4);
  });
  it("rejects Prisma's runtime but not type-only imports", () => {
    expect(checkPrismaUse("lib/x/y.ts", `import { Prisma } from "@/lib/generated/prisma/client";\n`)).toHaveLength(1);
    expect(checkPrismaUse("lib/x/y.ts", `import { PrismaClient } from "@prisma/client";\n`)).toHaveLength(1);
    expect(checkPrismaUse("lib/x/y.ts", `import type { WindowState } from "@/lib/generated/prisma/client";\n`)).toEqual(
      [],
    );
  });
  it("leaves tests and test kits alone", () => {
    expect(checkPrismaUse("tests/drain.test.ts", `await db.host.findMany();\n`)).toEqual([]);
    expect(checkPrismaUse("scripts/test-postgres.ts", `await db.host.findMany();\n`)).toEqual([]);
  });
});

describe("check-layers: no lib folder cycles", () => {
  it("lists the lib modules a source imports", () => {
    expect(
      libImports(
        `import { a } from "@/lib/db/hosts";\nimport type { B } from "@/lib/alerts/rules";\nconst c = await import("@/lib/db/client");\n`,
      ),
    ).toEqual(["db/hosts", "alerts/rules", "db/client"]);
  });
  const mod = (imports: string[], typesOnly = false) => ({ imports, typesOnly });
  it("finds two folders importing each other", () => {
    const modules = new Map([
      ["db/windows", mod(["alerts/outbox"])],
      ["alerts/outbox", mod(["alerts/rules", "db/client"])],
      ["alerts/rules", mod([])],
      ["db/client", mod(["env"])],
    ]);
    const cycles = folderCycles(modules);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toContain("lib/alerts <-> lib/db");
  });
  it("draws no arrow for a types-only module", () => {
    const modules = new Map([
      ["db/moves", mod(["evacuation/types"])],
      ["evacuation/types", mod(["planner/evacuate"], true)],
      ["evacuation/drain", mod(["db/moves"])],
    ]);
    expect(folderCycles(modules)).toEqual([]);
  });
  it("tells a types-only module from one importing code", () => {
    expect(importsTypesOnly(`import type { Plan } from "@/lib/planner/evacuate";\nimport { z } from "zod";\n`)).toBe(
      true,
    );
    expect(importsTypesOnly(`import type { A } from "@/lib/x/a";\nimport { b } from "@/lib/y/b";\n`)).toBe(false);
  });
});
