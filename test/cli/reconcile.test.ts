import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";
import { ROOT } from "../helpers/spawn.js";

const og = useMockServer({ throttle: false });
const STOCK = join(ROOT, "examples/stock.csv");
const THRESHOLDS = ["--low-at", "5", "--restock-at", "10"];

async function ogStock(argv: string[], isTTY = false) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, {
    env: { OG_BASE_URL: og.url, OG_API_KEY: API_KEY },
    stdout: (t) => {
      stdout += t;
    },
    stderr: (t) => {
      stderr += t;
    },
    isTTY,
    now: () => og.clock.now(),
  });
  return { code, stdout, stderr };
}

/** The items of every batch update the fake received. */
function sent(): Array<Array<{ product_id: string; live: boolean }>> {
  return og.running.mock.journal
    .entries()
    .filter((e) => e.method === "PATCH")
    .map((e) => e.body as Array<{ product_id: string; live: boolean }>);
}

async function csv(content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "og-reconcile-"));
  const path = join(dir, "stock.csv");
  await writeFile(path, content);
  return path;
}

describe("og-stock reconcile", () => {
  it("sends only the drifted products, says what it healed, and a second run finds zero drift", async () => {
    // Drift: Ordergroove says not live although 42 are in stock, and live although 1 is left.
    og.running.mock.catalog.apply("og-coffee-beans-1kg", { live: false });
    og.running.mock.catalog.apply("og-granola-500g", { live: true });
    expect((await ogStock(["sync", STOCK, ...THRESHOLDS])).code).toBe(0);
    og.running.mock.catalog.apply("og-coffee-beans-1kg", { live: false });
    og.running.mock.catalog.apply("og-granola-500g", { live: true });
    og.running.mock.journal.clear();

    const dry = await ogStock(["reconcile", STOCK, ...THRESHOLDS, "--dry-run"]);
    expect(dry.code).toBe(3);
    expect(dry.stdout).toContain("Dry run: nothing sent; 2 would be healed.");
    expect(sent()).toEqual([]);

    const run = await ogStock(["reconcile", STOCK, ...THRESHOLDS]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/og-coffee-beans-1kg\s+stock\s+42\s+live false → true\s+healed/);
    expect(run.stdout).toMatch(/og-granola-500g\s+stock\s+1\s+live true → false\s+healed/);
    expect(run.stdout).toContain("At Ordergroove, not in stock.csv (1): og-discontinued-mints");
    expect(run.stdout).toContain("Healed 2 of 2 in 1 request.");
    expect(sent()).toEqual([
      [
        { product_id: "og-coffee-beans-1kg", live: true },
        { product_id: "og-granola-500g", live: false },
      ],
    ]);

    const again = await ogStock(["reconcile", STOCK, ...THRESHOLDS]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No drift: every product's live flag matches its stock.");
    expect(sent()).toHaveLength(1);
  });

  it("reads the whole catalog over many pages and heals in batches of at most 100", async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `bulk-${i}`);
    og.running.mock.catalog.upsert(ids.map((id) => ({ external_product_id: id, live: true })));
    const file = await csv(`product_id,stock\n${ids.map((id) => `${id},0`).join("\n")}\n`);
    const run = await ogStock(["reconcile", file, "--restock-at", "5", "--json"]);
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { read: number; pages: number; healed: number; onlyAtOrdergroove: string[] };
    expect(out).toMatchObject({ read: 274, pages: 3, healed: 250 });
    expect(out.onlyAtOrdergroove).toHaveLength(24);
    expect(sent().map((b) => b.length)).toEqual([100, 100, 50]);
    expect(ids.every((id) => og.running.mock.catalog.get(id)?.live === false)).toBe(true);
  });

  it("lists ids known on one side only, and exits 2 when Ordergroove rejects a heal", async () => {
    og.running.mock.faults.set({
      items: [{ match: "og-green-tea-100", status: 400 }],
      next: [],
      latencyMs: 0,
      dropNext: 0,
    });
    const file = await csv("product_id,stock\nog-green-tea-100,0\nghost-1,3\n");
    const run = await ogStock(["reconcile", file]);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/og-green-tea-100\s+stock\s+0\s+live true → false\s+NOT healed \(invalid: forced/);
    expect(run.stdout).toContain("In stock.csv, not at Ordergroove (1): ghost-1");
    expect(run.stdout).toContain("Healed 0 of 1 in 1 request; 1 not healed.");
  });

  it("shows a progress line while reading on a terminal", async () => {
    const run = await ogStock(["reconcile", STOCK, ...THRESHOLDS, "--dry-run"], true);
    expect(run.stderr).toContain("\rReading Ordergroove's catalog: 24 products, page 1");
  });

  it("exits 1 when the catalog cannot be read, 64 on bad usage", async () => {
    og.running.mock.faults.set({ items: [], next: [{ status: 403, count: 1 }], latencyMs: 0, dropNext: 0 });
    expect((await ogStock(["reconcile", STOCK])).code).toBe(1);
    expect((await ogStock(["reconcile"])).code).toBe(64);
    expect((await ogStock(["reconcile", STOCK, "--low-at", "5", "--restock-at", "3"])).code).toBe(64);
  });

  it("runs without --low-at/--restock-at, as its help says they are optional", async () => {
    const help = (await ogStock(["--help"])).stdout;
    expect(help).toContain("og-stock reconcile FILE [--low-at N] [--restock-at M]");
    expect(help).toContain("--restock-at M (default: one above --low-at, else --out-at)");
    const result = await ogStock(["reconcile", STOCK, "--dry-run"]);
    expect([0, 3]).toContain(result.code);
    expect(result.stderr).toBe("");
  });
});
