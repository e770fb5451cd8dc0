import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@\//, replacement: `${root}/` },
      // "server-only" throws outside React Server Components; in tests and the worker it is a no-op.
      { find: /^server-only$/, replacement: `${root}/lib/server-only-shim.ts` },
    ],
  },
  test: {
    include: ["app/**/*.test.ts", "lib/**/*.test.ts", "sim/**/*.test.ts", "scripts/**/*.test.ts", "tests/**/*.test.ts"],
    environment: "node",
    globalSetup: ["tests/setup/postgres.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
