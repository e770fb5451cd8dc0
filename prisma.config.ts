// Prisma CLI configuration: Prisma 6.19 with the JS schema engine, over node-postgres (see
// docs/decisions/001-prisma-6-js-engine.md for why not Prisma 7 and why the OID patch below).
import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { defineConfig } from "prisma/config";

// prisma/orm#27403: through adapter-pg the Wasm schema engine cannot deserialize catalog columns
// of types "char" (18), name (19) and a few others. Reading them as text fixes `migrate`.
const TEXT = 25;
const TEXT_ARRAY = 1009;
const AS_TEXT = new Set([18, 19, 194]);
const AS_TEXT_ARRAY = new Set([1002, 1003]);
type Field = { dataTypeID: number };
const proto = (pg as unknown as { Result: { prototype: { addFields: (f: Field[]) => void } } }).Result.prototype;
const addFields = proto.addFields;
proto.addFields = function patched(fields: Field[]) {
  for (const f of fields) {
    if (AS_TEXT_ARRAY.has(f.dataTypeID)) f.dataTypeID = TEXT_ARRAY;
    else if (AS_TEXT.has(f.dataTypeID)) f.dataTypeID = TEXT;
  }
  return addFields.call(this, fields);
};

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  adapter: async () => new PrismaPg({ connectionString: process.env.DATABASE_URL }),
});
