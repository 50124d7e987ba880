/**
 * README top to bottom against ONE fake, as a newcomer would follow it: every tested shell block
 * (`<!-- tested: ... -->`), in document order, against the same running fake, with no reset or
 * reseed in between. An example that spoils the state a later one relies on (say, an admin call
 * that replaces the seed before the og-stock examples) fails here.
 *
 * `npx og-stock` runs the CLI from source here (tsx), so the test needs no build; the scripted
 * newcomer run in CI (scripts/newcomer-check.sh) runs the built command exactly as README shows.
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../mock-server/core/clock.js";
import { type RunningMockServer, startMockServer } from "../mock-server/node/server.js";
import { ROOT } from "./helpers/spawn.js";

const README = readFileSync(join(ROOT, "README.md"), "utf8");
const README_URL = "http://127.0.0.1:8787";

/**
 * Every tested shell block, in the order README shows them. "Heal drift" is its own scenario (it
 * starts its own fake and compares its printed output line by line): test/readme-heal-drift.test.ts.
 * The two-merchant setup starts its own fake from its own merchants file:
 * test/readme-merchants.test.ts.
 */
const OWN_SCENARIOS = new Set(["heal-drift", "merchants.json", "merchants"]);

function testedBlocks(): Array<{ name: string; lines: string[] }> {
  const blocks = [...README.matchAll(/<!-- tested: (\S+) -->\n```sh\n([\s\S]*?)```/g)].filter(
    (m) => !OWN_SCENARIOS.has(m[1]!),
  );
  return blocks.map((m) => ({
    name: m[1]!,
    lines: m[2]!
      .replace(/\\\n\s*/g, "")
      .split("\n")
      .filter((l) => l.trim() && !l.startsWith("#")),
  }));
}

function sh(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", line], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

let fake: RunningMockServer;
beforeAll(async () => {
  // README's own defaults: system clock, throttle on, default catalog.
  fake = await startMockServer({ port: 0, clock: systemClock });
});
afterAll(() => fake.close());

describe("README, followed top to bottom against one fake", () => {
  it("has the tested blocks in the order a newcomer meets them", () => {
    expect(testedBlocks().map((b) => b.name)).toEqual(["curl", "admin", "og-stock"]);
  });

  it("runs every example in order, each answering as README says", async () => {
    const env: NodeJS.ProcessEnv = {};
    const ogStockCodes: number[] = [];
    for (const block of testedBlocks()) {
      for (const line of block.lines) {
        const exported = /^export (.*)$/.exec(line);
        if (exported) {
          for (const [, k, v] of exported[1]!.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.replaceAll(README_URL, fake.url);
          continue;
        }
        const command = line
          .replaceAll(README_URL, fake.url)
          .replace(/^(npx )?og-stock /, `${process.execPath} --import tsx src/cli/bin.ts `);
        const result = await sh(command, env);
        if (block.name === "og-stock") {
          ogStockCodes.push(result.code);
          expect(result.stderr, line).not.toMatch(/404|not found/i);
          continue;
        }
        expect(result.code, `${line}\n${result.stderr}`).toBe(0);
        expect(JSON.parse(result.stdout), line).not.toHaveProperty("detail");
      }
    }
    // og-stock's documented exit codes: only the line with "unknown-sku" has a rejected item.
    expect(ogStockCodes).toEqual([0, 0, 2, 0, 0, 0]);
    // The admin block ended with a reset: the seed is the default catalog again, nothing replaced it.
    expect(fake.mock.catalog.size).toBe(24);
    expect(fake.mock.catalog.get("sku-1")).toBeUndefined();
    expect(fake.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
  }, 120_000);
});
