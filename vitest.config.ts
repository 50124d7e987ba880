/**
 * The fast tier (`npm test`, `npm run test:unit`, `npm run test:watch`): every test that runs in
 * this process. The tier is in the file name: `*.e2e.test.ts` (spawned servers and processes,
 * vitest inside vitest, bundles, full fuzz and load) and `*.browser.test.ts` run only in
 * vitest.e2e.config.ts (`npm run test:e2e`), which shares `tier()` below.
 */
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig, type ViteUserConfig } from "vitest/config";

/** The files of the slow tier, left out of the fast one. */
export const E2E_FILES = ["test/**/*.e2e.test.ts", "test/**/*.browser.test.ts", "contract-tests/**/*.e2e.test.ts"];

/** One tier's config: the same aliases, pool and timeouts; its own files and JSON report (read by CI). */
export function tier(name: string, files: { include: string[]; exclude?: string[] }): ViteUserConfig {
  return defineConfig({
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
          find: /^ordergroove-stock-kit\/server$/,
          replacement: fileURLToPath(new URL("mock-server/node/index.ts", import.meta.url)),
        },
        {
          find: /^ordergroove-stock-kit\/express$/,
          replacement: fileURLToPath(new URL("mock-server/express/index.ts", import.meta.url)),
        },
        { find: /^ordergroove-stock-kit$/, replacement: fileURLToPath(new URL("src/index.ts", import.meta.url)) },
      ],
    },
    test: {
      include: files.include,
      exclude: [...configDefaults.exclude, ...(files.exclude ?? [])],
      // Servers and child processes per file: keep files isolated, but do not oversubscribe 2 cores.
      pool: "forks",
      maxWorkers: 2,
      testTimeout: 20_000,
      hookTimeout: 30_000,
      // The contract suite prints og-contract's report (target, what it observed): a user's news
      // when og-contract runs it, not here, where it runs against the fake and only its verdict counts.
      onConsoleLog(_log, type, entity) {
        const file = entity && ("moduleId" in entity ? entity.moduleId : entity.module.moduleId);
        if (type === "stdout" && file?.endsWith("/contract-tests/contract.test.ts")) return false;
      },
      // scripts/ci-summary.mjs adds up one report per tier for CI's closing line.
      reporters: process.env.CI
        ? ["default", ["json", { outputFile: `test-results/vitest${name === "fast" ? "" : `-${name}`}.json` }]]
        : ["default"],
    },
  });
}

export default tier("fast", {
  include: ["test/**/*.test.ts", "contract-tests/**/*.test.ts"],
  exclude: E2E_FILES,
});
