import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  // README examples import the kit by its package name; in this repo that is the source.
  resolve: {
    alias: [
      {
        find: /^ordergroove-stock-kit\/msw$/,
        replacement: fileURLToPath(new URL("mock-server/msw/index.ts", import.meta.url)),
      },
      {
        find: /^ordergroove-stock-kit\/mock$/,
        replacement: fileURLToPath(new URL("mock-server/core/index.ts", import.meta.url)),
      },
      {
        find: /^ordergroove-stock-kit\/express$/,
        replacement: fileURLToPath(new URL("mock-server/express/index.ts", import.meta.url)),
      },
      { find: /^ordergroove-stock-kit$/, replacement: fileURLToPath(new URL("src/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts", "contract-tests/**/*.test.ts"],
    // Servers and child processes per file: keep files isolated, but do not oversubscribe 2 cores.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 30_000,
    reporters: process.env.CI ? ["default", ["json", { outputFile: "test-results/vitest.json" }]] : ["default"],
  },
});
