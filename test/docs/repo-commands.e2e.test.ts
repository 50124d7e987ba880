/**
 * The commands README and docs/ print for use inside this repository start at once: `bin/og-stock`,
 * `bin/og-mock` and `bin/og-contract` run what `npm ci` compiled into dist/, typed exactly as the
 * pages show them, from the repository's folder. Inside the kit's own folder `npx og-stock` would
 * install the folder into npx's cache and compile dist/ again (seconds); so here every command must
 * leave dist/ as it was and npm's cache empty, and no page's in-repository block may say `npx og-`.
 */
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../mock-server/core/clock.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { ROOT, sh } from "../helpers/spawn.js";
import { blockAfter, commands } from "./pages.js";

/** Every file of dist/ with its modification time: a rebuild rewrites them. */
function distSnapshot(): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else files.set(path, statSync(path).mtimeMs);
    }
  };
  walk(join(ROOT, "dist"));
  return files;
}

/** The in-repository blocks: README's CLI example, and the pages that say "from this repository's folder". */
const IN_REPO_BLOCKS: Array<[string, string]> = [
  ["README.md", "tested: quick-og-stock"],
  ["docs/og-stock.md", "tested: og-stock"],
  ["docs/og-stock.md", "tested: heal-drift"],
  ["docs/og-mock.md", "tested: merchants"],
];

let fake: RunningMockServer;
let npmCache: string;
let before: Map<string, number>;
beforeAll(async () => {
  fake = await startMockServer({ port: 0, clock: systemClock });
  npmCache = mkdtempSync(join(tmpdir(), "og-npm-cache-"));
  before = distSnapshot();
  expect(before.size, "dist/ is built by npm ci (or npm run build) before this test").toBeGreaterThan(0);
});
afterAll(async () => {
  await fake.close();
  rmSync(npmCache, { recursive: true, force: true });
});

describe("the repository's own commands, as the pages print them", () => {
  it("are bin/ commands in every in-repository block, never npx", () => {
    for (const [path, marker] of IN_REPO_BLOCKS) {
      const lines = commands(blockAfter(path, marker));
      expect(
        lines.filter((l) => /\bnpx og-/.test(l)),
        `${path} ${marker}`,
      ).toEqual([]);
      expect(
        lines.some((l) => /^bin\/og-(stock|mock|contract) /.test(l)),
        `${path} ${marker}`,
      ).toBe(true);
    }
  });

  it("run from the folder as typed, leave dist/ as it was and install nothing", async () => {
    // npm's cache in a folder of its own: were npx involved, it would install the folder there.
    const env: NodeJS.ProcessEnv = { npm_config_cache: npmCache };
    const helps = ["bin/og-stock --help", "bin/og-mock --help", "bin/og-contract --help"];
    for (const line of helps) {
      const { code, stdout } = await sh(line, env);
      expect(code, line).toBe(0);
      expect(stdout, line).toMatch(/^og-(stock|mock|contract): /);
    }
    // README's CLI example as printed, against the one fake (its shown URL replaced by this one's).
    for (const line of commands(blockAfter("README.md", "tested: quick-og-stock"))) {
      const exported = /^export (.*)$/.exec(line);
      if (exported) {
        for (const [, k, v] of exported[1]!.matchAll(/(\w+)=(\S+)/g))
          env[k!] = v!.replace("http://127.0.0.1:8787", fake.url);
        continue;
      }
      const { code, stdout, stderr } = await sh(line, env);
      expect(code, `${line}\n${stderr}`).toBe(0);
      if (line.includes(" get ")) expect(stdout).toMatch(/og-coffee-beans-1kg +live=false/);
    }
    expect(distSnapshot()).toEqual(before);
    expect(readdirSync(npmCache)).toEqual([]);
  }, 60_000);

  it("say what to do in a clone where dist/ is not built, and build nothing", async () => {
    const clone = mkdtempSync(join(tmpdir(), "og-clone-"));
    try {
      mkdirSync(join(clone, "bin"));
      copyFileSync(join(ROOT, "bin/og-stock"), join(clone, "bin/og-stock"));
      chmodSync(join(clone, "bin/og-stock"), 0o755);
      const { code, stdout, stderr } = await sh(`${join(clone, "bin/og-stock")} out og-coffee-beans-1kg`, {});
      expect(code).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toBe(
        `og-stock: Failed to start: ${clone}/dist/src/cli/bin.js is not built. Run npm ci (or npm run build) in ${clone} first.\n`,
      );
      expect(readdirSync(clone)).toEqual(["bin"]);
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });
});
