/** Every example in README.md is real: included files match, and shown commands run as shown. */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { systemClock } from "../mock-server/core/clock.js";
import { main } from "../src/cli/main.js";
import { useMockServer } from "./helpers/mock-server.js";
import { ROOT } from "./helpers/spawn.js";

const sh = promisify(execFile);
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const og = useMockServer({ clock: systemClock, throttle: false });

/** The fenced block right after a `<!-- marker -->` comment. */
function blockAfter(marker: string): string {
  const at = README.indexOf(`<!-- ${marker} -->`);
  if (at < 0) throw new Error(`README has no <!-- ${marker} --> block`);
  const m = /```[a-z]*\n([\s\S]*?)```/.exec(README.slice(at));
  return m![1]!;
}

/** Shell lines of a block, with backslash continuations joined. */
function commands(block: string): string[] {
  return block
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter((l) => l.trim() && !l.startsWith("#"));
}

describe("README", () => {
  it("quotes the consumer suite and the sync example verbatim", () => {
    const includes = [...README.matchAll(/<!-- include: (\S+) -->/g)].map((m) => m[1]!);
    expect(includes).toEqual([
      "test/fixtures/consumer/inventory.js",
      "test/fixtures/consumer/inventory.test.ts",
      "examples/sync-service.ts",
    ]);
    for (const path of includes) expect(blockAfter(`include: ${path}`)).toBe(readFileSync(join(ROOT, path), "utf8"));
  });

  it("shows a curl that succeeds with the answer shown", async () => {
    const [curl] = commands(blockAfter("tested: curl"));
    const { stdout } = await sh("sh", ["-c", curl!.replaceAll("http://127.0.0.1:8787", og.url)]);
    const shown = /answers `207`[^`]*```json\n(.*?)\n```/s.exec(README)![1]!;
    expect(JSON.parse(stdout)).toEqual(JSON.parse(shown));
  });

  it("shows admin API calls that work", async () => {
    const lines = commands(blockAfter("tested: admin"));
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      const { stdout } = await sh("sh", ["-c", line.replaceAll("http://127.0.0.1:8787", og.url)]);
      expect(JSON.parse(stdout), line).not.toHaveProperty("detail");
    }
    // The block replaced the seed: put the default catalog back for the other examples.
    const { defaultCatalog } = await import("../mock-server/core/default-catalog.js");
    og.running.mock.catalog.seed(defaultCatalog);
  });

  it("shows og-stock commands that run with the exit codes documented", async () => {
    const lines = commands(blockAfter("tested: og-stock"));
    const env: NodeJS.ProcessEnv = {};
    for (const [, k, v] of lines[0]!.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.replace("http://127.0.0.1:8787", og.url);
    const dir = await mkdtemp(join(tmpdir(), "og-readme-"));
    const csv = join(dir, "stock.csv");
    await writeFile(csv, "product_id,stock\nog-coffee-beans-1kg,2\nog-green-tea-100,40\n");
    const codes: number[] = [];
    for (const line of lines.slice(1)) {
      const argv = line
        .replace(/^(npx )?og-stock /, "")
        .replace("examples/stock.csv", csv)
        .split(" ");
      codes.push(await main(argv, { env, stdout: () => {}, stderr: () => {}, isTTY: false }));
    }
    expect(codes).toEqual([0, 0, 2, 0, 0, 0]);
  });

  it("shows the benchmark table of the last `npm run bench`", () => {
    const table = readFileSync(join(ROOT, "bench/results/latest.md"), "utf8");
    expect(README).toContain(`<!-- bench:start -->\n${table}<!-- bench:end -->`);
    expect(table).toMatch(/^Measured \d{4}-\d{2}-\d{2} on /);
    expect(table.split("\n").filter((l) => /^\| \d \|/.test(l))).toHaveLength(8);
  });

  it("has a sync example that tells Ordergroove about stock changes", async () => {
    process.env.OG_BASE_URL = og.url;
    const example = await import("../examples/sync-service.js");
    example.onStockChanged("og-coffee-beans-1kg", 3);
    example.onStockChanged("og-green-tea-100", 10);
    await example.shutdown();
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    expect(og.running.mock.catalog.get("og-green-tea-100")?.live).toBe(true);
    expect(og.running.mock.journal.total).toBe(1);
  });
});
