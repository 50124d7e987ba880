/**
 * `npm run bench`: every benchmark of the kit, as ratios against baselines run side by side in
 * the same run (never as timed asserts). Prints a table, writes bench/results/latest.json and
 * latest.md, and refreshes README's table. BENCH_SMOKE=1 runs a few-second version for CI that
 * checks nothing but that the benchmarks still run.
 */
import { writeFileSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { cpus, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { signedHeaders } from "../src/auth/signature.js";
import { OrdergrooveClient } from "../src/client/client.js";
import { StockSync } from "../src/sync/stock-sync.js";
import { listingFigure } from "./listing.js";
import {
  type ChildServer,
  load,
  median,
  OG_MOCK_BIN,
  PINNED,
  ROOT,
  round,
  sequentialLatencies,
  startChild,
} from "./lib.js";

const SMOKE = process.env.BENCH_SMOKE === "1";
const DURATION = SMOKE ? 1 : 5;
const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };

interface Row {
  id: number;
  figure: string;
  value: string;
  baseline: string;
  ratio: number | null;
  target: string;
  met: boolean | null;
  numbers: Record<string, number>;
}
const rows: Row[] = [];

function items(n: number, offset = 0, prefix = "bench-"): string {
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ product_id: `${prefix}${(i + offset) % 1000}`, live: i % 2 === 0 })),
  );
}

async function catalogFile(size: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "og-bench-"));
  const path = join(dir, `catalog-${size}.json`);
  const products = Array.from({ length: size }, (_, i) => ({
    external_product_id: `bench-${i}`,
    name: `Bench product ${i}`,
    price: "9.99",
  }));
  writeFileSync(path, JSON.stringify(products));
  return path;
}

function startFake(catalog: string, extra: string[] = []): Promise<ChildServer> {
  return startChild([
    OG_MOCK_BIN,
    "--port",
    "0",
    "--throttle",
    "off",
    // The bench sends far more than Ordergroove's 6,000 requests/minute from one address.
    "--ip-limit",
    "off",
    "--log-level",
    "silent",
    "--catalog",
    catalog,
    ...extra,
  ]);
}

function headers(): Record<string, string> {
  return { "content-type": "application/json", ...signedHeaders(CREDS, Math.floor(Date.now() / 1000)) };
}

async function throughput(catalog: string): Promise<void> {
  for (const [id, size] of [
    [1, 1],
    [2, 100],
  ] as const) {
    const body = items(size);
    const ceiling = await startChild(["--import", "tsx", join(ROOT, "bench/ceiling-server.ts")]);
    const fake = await startFake(catalog);
    // Warm both up, then measure each alone, ceiling first.
    await load({
      url: `${ceiling.url}/products-batch/update/`,
      connections: 10,
      durationSeconds: 1,
      headers: headers(),
      body,
    });
    await load({
      url: `${fake.url}/products-batch/update/`,
      connections: 10,
      durationSeconds: 1,
      headers: headers(),
      body,
    });
    const base = await load({
      url: `${ceiling.url}/products-batch/update/`,
      connections: 10,
      durationSeconds: DURATION,
      headers: headers(),
      body,
    });
    const run = await load({
      url: `${fake.url}/products-batch/update/`,
      connections: 10,
      durationSeconds: DURATION,
      headers: headers(),
      body,
    });
    await ceiling.stop();
    await fake.stop();
    // Context, not a target: Express 5 alone doing the same JSON work.
    const floor = await startChild(["--import", "tsx", join(ROOT, "bench/express-floor-server.ts")]);
    await load({
      url: `${floor.url}/products-batch/update/`,
      connections: 10,
      durationSeconds: 1,
      headers: headers(),
      body,
    });
    const express = await load({
      url: `${floor.url}/products-batch/update/`,
      connections: 10,
      durationSeconds: DURATION,
      headers: headers(),
      body,
    });
    await floor.stop();
    const expressRatio = express.requestsPerSecond / base.requestsPerSecond;
    if (run.errors || run.non2xx) throw new Error(`figure ${id}: ${run.errors} errors, ${run.non2xx} non-2xx answers`);
    const ratio = run.requestsPerSecond / base.requestsPerSecond;
    if (size === 1) {
      rows.push({
        id,
        figure: "standalone fake, 1-item signed batch, 10 connections",
        value: `${Math.round(run.requestsPerSecond)} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms`,
        baseline: `${Math.round(base.requestsPerSecond)} req/s, p99 ${base.p99} ms (Express 5 alone, same JSON work: ${Math.round(express.requestsPerSecond)} req/s = ${round(expressRatio)})`,
        ratio: round(ratio),
        target: "≥ 0.5 of ceiling, p99 < 10 ms",
        met: ratio >= 0.5 && run.p99 < 10,
        numbers: {
          rps: run.requestsPerSecond,
          p50: run.p50,
          p99: run.p99,
          ceilingRps: base.requestsPerSecond,
          ceilingP99: base.p99,
          expressAloneRps: express.requestsPerSecond,
        },
      });
    } else {
      rows.push({
        id,
        figure: "standalone fake, 100-item signed batches, 10 connections",
        value: `${Math.round(run.requestsPerSecond * 100)} items/s, p99 ${run.p99} ms`,
        baseline: `${Math.round(base.requestsPerSecond * 100)} items/s (Express 5 alone: ${Math.round(express.requestsPerSecond * 100)})`,
        ratio: round(ratio),
        target: "reported",
        met: null,
        numbers: {
          itemsPerSecond: run.requestsPerSecond * 100,
          p99: run.p99,
          ceilingItemsPerSecond: base.requestsPerSecond * 100,
        },
      });
    }
  }
}

async function catalogSizes(): Promise<void> {
  const sizes = SMOKE ? [1000, 10_000] : [1000, 10_000, 100_000];
  const p50: Record<string, number> = {};
  for (const size of sizes) {
    const fake = await startFake(await catalogFile(size));
    // Ids spread over the whole catalog, so lookups cannot ride on a small hot set.
    const body = JSON.stringify(
      Array.from({ length: 100 }, (_, i) => ({ product_id: `bench-${Math.floor((i * size) / 100)}`, live: false })),
    );
    await sequentialLatencies(`${fake.url}/products-batch/update/`, headers(), body, SMOKE ? 50 : 500);
    p50[size] = round(
      median(await sequentialLatencies(`${fake.url}/products-batch/update/`, headers(), body, SMOKE ? 200 : 3000)),
      3,
    );
    await fake.stop();
  }
  const largest = sizes.at(-1)!;
  const ratio = p50[largest]! / p50[1000]!;
  rows.push({
    id: 3,
    figure: `100-item batch latency (median, 1 connection, ids spread over the catalog) by catalog size`,
    value: sizes.map((s) => `${s / 1000}k: ${p50[s]} ms`).join(", "),
    baseline: `1k: ${p50[1000]} ms`,
    ratio: round(ratio),
    target: `${largest / 1000}k within 1.2x of 1k`,
    met: ratio <= 1.2,
    numbers: Object.fromEntries(sizes.map((s) => [`p50_${s}`, p50[s]!])),
  });
}

async function coldStart(): Promise<void> {
  const runs = SMOKE ? 2 : 10;
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const fake = await startChild([OG_MOCK_BIN, "--port", "0", "--log-level", "silent"]);
    const res = await fetch(`${fake.url}/products-batch/update/`, {
      method: "PATCH",
      headers: headers(),
      body: items(1, 0, "og-coffee-beans-1kg"),
    });
    await res.text();
    if (res.status !== 207) throw new Error(`cold start: first request answered ${res.status}`);
    times.push(performance.now() - started);
    await fake.stop();
  }
  // The same spawn of a bare Node process, for scale.
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const s = await startChild(["-e", "console.log('listening on http://x')"]).catch(() => undefined);
    bare.push(performance.now() - started);
    await s?.stop();
  }
  const value = median(times);
  rows.push({
    id: 4,
    figure: `cold start: spawn to first successful signed request (median of ${runs})`,
    value: `${Math.round(value)} ms`,
    baseline: `bare node start: ${Math.round(median(bare))} ms`,
    ratio: round(value / median(bare)),
    target: "< 300 ms",
    met: value < 300,
    numbers: { medianMs: value, bareNodeMs: median(bare) },
  });
}

async function mswCost(): Promise<void> {
  const { setupOrdergrooveMock } = await import("../mock-server/msw/setup.js");
  const og = setupOrdergrooveMock({ throttle: false, ipLimit: false });
  const ceiling = await startChild(["--import", "tsx", join(ROOT, "bench/ceiling-server.ts")]);
  const n = SMOKE ? 200 : 3000;
  const body = items(100, 0, "og-coffee-beans-1kg-");
  const time = async (url: string) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = performance.now();
      const res = await fetch(url, { method: "PATCH", headers: headers(), body });
      await res.text();
      samples.push(performance.now() - started);
    }
    return median(samples.slice(Math.floor(n / 10))); // first tenth is warm-up
  };
  const raw = await time(`${ceiling.url}/products-batch/update/`);
  og.listen();
  const intercepted = await time("https://restapi.ordergroove.com/products-batch/update/");
  og.close();
  await ceiling.stop();
  const added = intercepted - raw;
  rows.push({
    id: 5,
    figure: "in-process MSW: one intercepted 100-item batch update (median)",
    value: `${round(intercepted, 3)} ms`,
    baseline: `fetch to the raw local server: ${round(raw, 3)} ms`,
    ratio: round(intercepted / raw),
    target: "< 1 ms added",
    met: added < 1,
    numbers: { interceptedMs: intercepted, rawMs: raw, addedMs: added },
  });
}

async function clientUnderThrottle(): Promise<void> {
  const total = SMOKE ? 2000 : 20_000;
  const limit = 20; // requests per window
  const windowMs = 1000; // 20 requests/s = 1,200/min: 200 batches take ~10 s
  const fake = await startFake(await catalogFile(total), ["--throttle", "off"]);
  await fetch(`${fake.url}/__admin/settings`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ throttle: { limit, windowMs } }),
  });
  const client = new OrdergrooveClient({
    environment: { baseUrl: fake.url },
    credentials: { kind: "hmac", ...CREDS },
    rateLimit: { limit, windowMs },
    concurrency: 4,
  });
  let applied = 0;
  let failed = 0;
  const sync = new StockSync({
    client,
    thresholds: { restockAt: 1 },
    flushIntervalMs: 0,
    maxPending: Number.POSITIVE_INFINITY,
    onFlush: (f) => {
      applied += f.report.updated.length;
      failed += f.report.failed.length + f.rejected.length;
    },
  });
  const started = performance.now();
  for (let i = 0; i < total; i++) sync.record({ productId: `bench-${i}`, stock: 0 });
  await sync.close();
  const minutes = (performance.now() - started) / 60_000;
  const journal = (await (await fetch(`${fake.url}/__admin/journal`)).json()) as {
    total: number;
    entries: Array<{ response: { status?: number } }>;
  };
  const throttled = journal.entries.filter((e) => e.response.status === 429).length;
  await fake.stop();
  const perMinuteCapacity = (limit * 60_000) / windowMs;
  const utilisation = applied / minutes / (perMinuteCapacity * 100);
  rows.push({
    id: 6,
    figure: `client + sync, ${total} stock changes under a ${perMinuteCapacity}/min throttle`,
    value: `utilisation ${round(utilisation)}, ${applied} applied in ${round(minutes * 60, 1)} s, ${failed} lost, ${throttled} × 429`,
    baseline: `capacity ${perMinuteCapacity * 100} items/min`,
    ratio: round(utilisation),
    target: "≥ 0.95, none lost, no 429",
    met: utilisation >= 0.95 && failed === 0 && applied === total && throttled === 0,
    numbers: { utilisation, applied, failed, seconds: minutes * 60, throttled },
  });
}

async function memory(): Promise<void> {
  const size = SMOKE ? 10_000 : 100_000;
  const fake = await startFake(await catalogFile(size), ["--journal-limit", "1000"]);
  const body = JSON.stringify(
    Array.from({ length: 100 }, (_, i) => ({ product_id: `bench-${i * 7}`, live: false, name: `renamed ${i}` })),
  );
  // Fill the journal (1,000 entries) under concurrent load.
  let health = { journal: { size: 0, limit: 1 } };
  while (health.journal.size < health.journal.limit) {
    await load({
      url: `${fake.url}/products-batch/update/`,
      connections: 4,
      durationSeconds: 1,
      headers: headers(),
      body,
    });
    health = (await (await fetch(`${fake.url}/__admin/health`)).json()) as typeof health;
  }
  const peak = fake.peakRss();
  await fake.stop();
  rows.push({
    id: 7,
    figure: `memory: peak RSS with ${size / 1000}k products and a full journal (${health.journal.size} × 100-item batches)`,
    value: `${Math.round(peak / 1024 / 1024)} MB`,
    baseline: "",
    ratio: null,
    target: "< 200 MB",
    met: peak < 200 * 1024 * 1024,
    numbers: { peakRssBytes: peak, journalEntries: health.journal.size },
  });
}

function table(): string {
  const head =
    "| # | figure | value | baseline in the same run | ratio | target | met |\n|---|---|---|---|---|---|---|";
  const body = rows
    .sort((a, b) => a.id - b.id)
    .map(
      (r) =>
        `| ${r.id} | ${r.figure} | ${r.value} | ${r.baseline} | ${r.ratio ?? ""} | ${r.target} | ${r.met === null ? "" : r.met ? "yes" : "**no**"} |`,
    )
    .join("\n");
  return `${head}\n${body}`;
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${PINNED ? "; servers pinned to core 0, load generator to core 1" : ""}`;
  const catalog = await catalogFile(1000);
  await throughput(catalog);
  await catalogSizes();
  await coldStart();
  await mswCost();
  await clientUnderThrottle();
  await memory();
  rows.push(await listingFigure(async (size) => startFake(await catalogFile(size)), SMOKE));
  const md = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}${SMOKE ? " (smoke run: too short to mean anything)" : ""}.\n\n${table()}\n`;
  console.log(`\n${md}`);
  if (SMOKE) return;
  writeFileSync(
    join(ROOT, "bench/results/latest.json"),
    `${JSON.stringify({ machine, date: new Date().toISOString(), rows }, null, 2)}\n`,
  );
  writeFileSync(join(ROOT, "bench/results/latest.md"), md);
  const readmePath = join(ROOT, "README.md");
  const readme = readFileSync(readmePath, "utf8");
  writeFileSync(
    readmePath,
    readme.replace(
      /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/,
      () => `<!-- bench:start -->\n${md}<!-- bench:end -->`,
    ),
  );
}

await main();
