/**
 * README and docs/ in reading order against ONE fake, as a newcomer would follow them: every
 * tested shell block (`<!-- tested: ... -->`) of README, then docs/og-mock.md, then
 * docs/og-stock.md, in document order, against the same running fake, with no reset or reseed in
 * between. An example that spoils the state a later one relies on (say, an admin call that
 * replaces the seed before the og-stock examples) fails here.
 *
 * `npx og-stock` runs the CLI from source here (tsx), so the test needs no build; the scripted
 * newcomer run in CI (scripts/newcomer-check.sh) runs the built command exactly as README shows.
 */
import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../mock-server/core/clock.js";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { buildProfile } from "../../contract-tests/calibration.js";
import { observationsFile } from "../../contract-tests/observations.js";
import { type RunningProcess, startOgMock } from "../../mock-server/cli/start-og-mock.js";
import { ROOT, sh } from "../helpers/spawn.js";
import { blockAfter, commands, docPages, page } from "./pages.js";

const SHOWN_URL = "http://127.0.0.1:8787";

/** The pages whose shell examples build on each other, in the order docs/README.md gives. */
const READING_ORDER = ["README.md", "docs/og-mock.md", "docs/og-stock.md"];

/**
 * Blocks that are scenarios of their own. "Heal drift" starts its own fake and compares its
 * printed output line by line: heal-drift.e2e.test.ts. The two-merchant setup starts its own
 * fake from its own merchants file: merchants.e2e.test.ts.
 */
const OWN_SCENARIOS = new Set([
  "heal-drift",
  "merchants.json",
  "merchants",
  // docs/proxy.md's, run by test/docs/proxy.e2e.test.ts against upstreams of their own.
  "proxy",
  "proxy-refused",
  "proxy-learn",
]);

const TESTED = /<!-- tested: (\S+) -->\n```[a-z]*\n([\s\S]*?)```/g;

function testedBlocks(): Array<{ name: string; lines: string[] }> {
  const blocks = READING_ORDER.flatMap((path) => [...page(path).matchAll(TESTED)]).filter(
    (m) => !OWN_SCENARIOS.has(m[1]!),
  );
  return blocks.map((m) => ({
    name: m[1]!,
    // `npm start` is the fake this test has started already.
    lines: commands(m[2]!).filter((l) => !l.startsWith("npm start")),
  }));
}

let fake: RunningMockServer;
beforeAll(async () => {
  // The pages' own defaults (npm start): system clock, throttle on, default catalog.
  fake = await startMockServer({ port: 0, clock: systemClock });
});
afterAll(() => fake.close());

describe("README and docs/, followed in reading order against one fake", () => {
  it("has the tested blocks in the order a newcomer meets them", () => {
    expect(testedBlocks().map((b) => b.name)).toEqual(["quick-og-mock", "quick-og-stock", "curl", "admin", "og-stock"]);
  });

  it("leaves no tested block out: every page's blocks are in the reading order or a scenario of their own", () => {
    const elsewhere = docPages(ROOT)
      .map((path) => relative(ROOT, path))
      .filter((path) => !READING_ORDER.includes(path))
      .flatMap((path) => [...page(path).matchAll(TESTED)].map((m) => `${path}: ${m[1]}`))
      .filter((block) => !OWN_SCENARIOS.has(block.split(": ")[1]!));
    expect(elsewhere).toEqual([]);
  });

  it("runs every example in order, each answering as the page says", async () => {
    const env: NodeJS.ProcessEnv = {};
    const ogStockCodes: Record<string, number[]> = {};
    for (const block of testedBlocks()) {
      for (const line of block.lines) {
        const exported = /^export (.*)$/.exec(line);
        if (exported) {
          for (const [, k, v] of exported[1]!.matchAll(/(\w+)=(\S+)/g)) env[k!] = v!.replaceAll(SHOWN_URL, fake.url);
          continue;
        }
        const command = line
          .replaceAll(SHOWN_URL, fake.url)
          .replace(/^bin\/og-stock /, `${process.execPath} --import tsx src/cli/bin.ts `);
        const result = await sh(command, env);
        if (block.name.endsWith("og-stock")) {
          (ogStockCodes[block.name] ??= []).push(result.code);
          expect(result.stderr, line).not.toMatch(/404|not found/i);
          continue;
        }
        expect(result.code, `${line}\n${result.stderr}`).toBe(0);
        expect(JSON.parse(result.stdout), line).not.toHaveProperty("detail");
      }
    }
    // og-stock's documented exit codes: only the line with "unknown-sku" has a rejected item.
    expect(ogStockCodes).toEqual({ "quick-og-stock": [0, 0], "og-stock": [0, 0, 2, 0, 0, 0] });
    // The admin block ended with a reset: the seed is the default catalog again, nothing replaced it.
    expect(fake.mock.catalog.size).toBe(24);
    expect(fake.mock.catalog.get("sku-1")).toBeUndefined();
    expect(fake.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
  }, 120_000);
});

/**
 * Every fake a page starts beside README's: started while README's fake holds the shown port, as a
 * newcomer's would be. Its default port is that fake's (OG_MOCK_PORT here, 8787 for the newcomer),
 * so a page that forgets `--port` fails here with "port ... is in use" as it does in a shell.
 */
describe("every fake a page starts beside README's", () => {
  const FAKE_START = /^(?:npx |bin\/)og-mock (?!--help)(.*?)(?:\s+#.*)?$/;

  /** Every og-mock a page's shell blocks start, with the page. */
  const allStarts = () =>
    docPages(ROOT).flatMap((path) =>
      [...page(relative(ROOT, path)).matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) =>
        commands(m[1]!)
          .map((l) => FAKE_START.exec(l)?.[1])
          .filter((a): a is string => a !== undefined)
          .map((args) => ({ path: relative(ROOT, path), args })),
      ),
    );

  it("never shares a port between two pages, nor takes README's 8787", () => {
    const owner = new Map<string, string>([["8787", "README.md"]]);
    const clashes: string[] = [];
    for (const { path, args } of allStarts()) {
      for (const [, port] of args.matchAll(/--port (\d+)/g)) {
        const first = owner.get(port!);
        if (first && first !== path) clashes.push(`${path} and ${first} both start a fake on ${port}`);
        else owner.set(port!, path);
      }
    }
    expect(clashes).toEqual([]);
  });

  it("gets a port of its own and starts", async () => {
    // docs/proxy.md's fakes and proxies are a scenario of their own (test/docs/proxy.e2e.test.ts),
    // including one that is refused on purpose; the test above keeps their ports apart.
    const starts = allStarts().filter((s) => s.path !== "docs/proxy.md");
    // The two-merchant setup and the calibrated fake, at least; more is fine.
    expect(starts.map((s) => s.path)).toEqual(expect.arrayContaining(["docs/og-mock.md", "docs/contract-tests.md"]));
    const dir = await mkdtemp(join(tmpdir(), "og-docs-fakes-"));
    try {
      // The files those commands name, as the pages have the newcomer make them (tsx from here).
      await symlink(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
      await writeFile(join(dir, "merchants.json"), blockAfter("docs/og-mock.md", "tested: merchants.json"));
      const recorded = observationsFile({ kind: "remote", baseUrl: "https://staging.restapi.ordergroove.com" });
      await writeFile(join(dir, "og-profile.json"), JSON.stringify(buildProfile(recorded)));
      // Each port a page shows gets a free one of this machine, the same for the same number, so
      // two pages that pick the same port collide here as they would for the newcomer; 8787 is
      // README's fake, this test's one fake.
      const ports = new Map<string, string>([["8787", new URL(fake.url).port]]);
      for (const { args } of starts)
        for (const [, shown] of args.matchAll(/--port (\d+)/g))
          if (!ports.has(shown!)) ports.set(shown!, String(await freePort()));
      // Started in reading order and kept running, as a newcomer's terminals are.
      const running: RunningProcess[] = [];
      try {
        for (const { path, args } of starts) {
          const argv = args.replace(/\b(\d{4,5})\b/g, (n) => ports.get(n) ?? n).split(/\s+/);
          const started = await startOgMock({
            bin: join(ROOT, "mock-server/cli/bin.ts"),
            args: argv,
            env: { ...process.env, OG_MOCK_PORT: ports.get("8787")! },
            cwd: dir,
            timeoutMs: 15_000,
          }).catch((error: Error) => error);
          if (started instanceof Error) throw new Error(`${path}: og-mock ${args} did not start: ${started.message}`);
          running.push(started);
        }
      } finally {
        await Promise.all(running.map((r) => r.stop()));
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** A port nothing listens on now: one the system gave and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
