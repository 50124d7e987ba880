/**
 * Every example of README.md and docs/*.md is real. The library examples (README's first test,
 * the test suite, client, sync) are taken from the pages, type-checked and run; shown commands
 * run as shown. The shell walkthrough in reading order is walkthrough.e2e.test.ts.
 */
import { execFile } from "node:child_process";
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../mock-server/core/clock.js";
import { main } from "../../src/cli/main.js";
import { useMockServer } from "../helpers/mock-server.js";
import { ROOT } from "../helpers/spawn.js";
import { readmeExamples } from "../../scripts/readme-examples.mjs";
import { blockAfter, commands, docPages, page } from "./pages.js";

const sh = promisify(execFile);
const og = useMockServer({ clock: systemClock, throttle: false });

/** The kit's entry points as a user imports them, mapped to this repo's source. */
const ENTRY_POINTS: Record<string, string> = {
  "ordergroove-stock-kit": "src/index.ts",
  "ordergroove-stock-kit/mock": "mock-server/core/index.ts",
  "ordergroove-stock-kit/msw": "mock-server/msw/index.ts",
  "ordergroove-stock-kit/express": "mock-server/express/index.ts",
  "ordergroove-stock-kit/server": "mock-server/node/index.ts",
  "ordergroove-stock-kit/vitest": "mock-server/msw/vitest.ts",
};

describe("the library examples, taken from README and docs/", () => {
  const examples = readmeExamples(docPages(ROOT));
  let dir: string;

  // The examples as files in a project of their own, beside this repo's node_modules.
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "og-docs-examples-"));
    await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "docs-examples", type: "module" }));
    for (const [name, text] of examples) await writeFile(join(dir, name), text);
    const paths = Object.fromEntries(Object.entries(ENTRY_POINTS).map(([k, v]) => [k, [join(ROOT, v)]]));
    const compilerOptions = {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      strict: true,
      allowJs: true,
      noEmit: true,
      skipLibCheck: true,
      types: ["node"],
      paths,
    };
    await writeFile(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions, include: ["*.ts", "*.js"] }));
    const alias = Object.entries(ENTRY_POINTS)
      .reverse() // subpaths before the bare name
      .map(([find, file]) => ({ find, replacement: join(ROOT, file) }));
    await writeFile(
      join(dir, "vitest.config.mjs"),
      `export default { resolve: { alias: ${JSON.stringify(alias)} }, test: { include: ["*.test.ts"] } };\n`,
    );
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("are the files the pages name: README's first test, then docs/ in page order", () => {
    expect([...examples.keys()]).toEqual([
      "first-test.test.ts",
      "client.ts",
      "sync-service.ts",
      "inventory.js",
      "inventory.test.ts",
      "matchers.test.ts",
      // The jest recipes: run as printed by the consumer check (jest is not a dependency here).
      "jest.config.js",
      "jest-esm.sh",
      "jest.config.cjs",
      "jest-tsconfig.json",
      "jest-ts.sh",
    ]);
  });

  it("type-check as a user's strict TypeScript project", async () => {
    await sh(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir]).catch((e) => {
      throw new Error(`The docs' examples do not type-check:\n${e.stdout}${e.stderr}`);
    });
  }, 180_000); // a whole TypeScript program: tens of seconds on a busy 2-core machine

  it("have test suites that pass under vitest with MSW", async () => {
    const run = sh(process.execPath, [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--root", dir], {
      env: { ...process.env, CI: "" },
    });
    const { stdout } = await run.catch((e) => {
      throw new Error(`The docs' test suites fail:\n${e.stdout}${e.stderr}`);
    });
    expect(stripVTControlCharacters(stdout)).toMatch(/Tests\s+6 passed \(6\)/);
  }, 180_000); // a vitest of its own

  it("has a client example whose report says what the page says", async () => {
    process.env.OG_BASE_URL = og.url;
    await import(join(dir, "client.ts")); // its assertions are the page's claims
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    expect(og.running.mock.catalog.get("og-green-tea-100")?.live).toBe(true); // refused: unchanged
  });

  it("has a sync example that tells Ordergroove about stock changes", async () => {
    process.env.OG_BASE_URL = og.url;
    const example = await import(join(dir, "sync-service.ts"));
    example.onStockChanged("og-coffee-beans-1kg", 3);
    example.onStockChanged("og-green-tea-100", 10);
    await example.shutdown();
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    expect(og.running.mock.catalog.get("og-green-tea-100")?.live).toBe(true);
    expect(og.running.mock.journal.total).toBe(1);
  });
});

describe("the shell examples, each on the page that shows it", () => {
  it("README's quick-start curl answers what README shows", async () => {
    const [curl] = commands(blockAfter("README.md", "tested: quick-og-mock")).filter((l) => !l.startsWith("npm start"));
    const { stdout } = await sh("sh", ["-c", curl!.replaceAll("http://127.0.0.1:8787", og.url)]);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(blockAfter("README.md", "output: quick-og-mock")));
  });

  it("README's og-stock commands run with exit code 0", async () => {
    const lines = commands(blockAfter("README.md", "tested: quick-og-stock"));
    const env: NodeJS.ProcessEnv = {};
    for (const [, k, v] of lines[0]!.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.replace("http://127.0.0.1:8787", og.url);
    const codes: number[] = [];
    let stdout = "";
    for (const line of lines.slice(1)) {
      const argv = line
        .replace(/\s+#.*$/, "") // the shell's comment
        .replace(/^bin\/og-stock /, "")
        .split(" ");
      codes.push(await main(argv, { env, stdout: (t) => void (stdout += t), stderr: () => {}, isTTY: false }));
    }
    expect(codes).toEqual([0, 0]);
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    expect(stdout).toMatch(/og-coffee-beans-1kg +live=false/); // as README says
  });

  it("docs/og-mock.md shows a curl that succeeds with the answer shown", async () => {
    const OG_MOCK = page("docs/og-mock.md");
    const [curl] = commands(blockAfter("docs/og-mock.md", "tested: curl"));
    const { stdout } = await sh("sh", ["-c", curl!.replaceAll("http://127.0.0.1:8787", og.url)]);
    const shown = /answers `207`[^`]*```json\n(.*?)\n```/s.exec(OG_MOCK)![1]!;
    expect(JSON.parse(stdout)).toEqual(JSON.parse(shown));
  });

  it("docs/og-mock.md shows admin API calls that work", async () => {
    const lines = commands(blockAfter("docs/og-mock.md", "tested: admin"));
    expect(lines).toHaveLength(7);
    for (const line of lines) {
      const { stdout } = await sh("sh", ["-c", line.replaceAll("http://127.0.0.1:8787", og.url)]);
      expect(JSON.parse(stdout), line).not.toHaveProperty("detail");
    }
    // The block replaced the seed: put the default catalog back for the other examples.
    const { defaultCatalog } = await import("../../mock-server/core/products/default-catalog.js");
    og.running.mock.catalog.seed(defaultCatalog);
  });

  it("docs/og-stock.md shows og-stock commands that run with the exit codes documented", async () => {
    const lines = commands(blockAfter("docs/og-stock.md", "tested: og-stock"));
    const env: NodeJS.ProcessEnv = {};
    for (const [, k, v] of lines[0]!.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.replace("http://127.0.0.1:8787", og.url);
    const dir = await mkdtemp(join(tmpdir(), "og-docs-"));
    const csv = join(dir, "stock.csv");
    await writeFile(csv, "product_id,stock\nog-coffee-beans-1kg,2\nog-green-tea-100,40\n");
    const codes: number[] = [];
    for (const line of lines.slice(1)) {
      const argv = line
        .replace(/^bin\/og-stock /, "")
        .replace("examples/stock.csv", csv)
        .split(" ");
      codes.push(await main(argv, { env, stdout: () => {}, stderr: () => {}, isTTY: false }));
    }
    expect(codes).toEqual([0, 0, 2, 0, 0, 0]);
  });
});
