/**
 * `npm run bench`: every benchmark of the kit, as ratios against baselines run side by side in
 * the same run (never as timed asserts). Servers compared with each other run together and are
 * measured in interleaved rounds (./interleave.ts); ratios are taken per round and reported as
 * a median with the spread [min–max], next to the machine's steal time. Prints a table, writes
 * bench/results/latest.json and latest.md, and refreshes README's table; `--json` prints the
 * results as JSON on stdout instead of the table; `--only=1,4` runs just those figures and writes
 * nothing.
 *
 * BENCH_SMOKE=1 runs a few-second version for CI that checks nothing but that the benchmarks
 * still run (no Prism: installing and starting it would more than double CI's bench time, and a
 * peer's speed says nothing about whether our benchmarks still work).
 *
 * A new figure is one function pushing a Row, called from main(); the interleaved runner takes
 * any number of servers.
 */
import { spawn } from "node:child_process";
import { writeFileSync, readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { cpus, loadavg, totalmem, tmpdir } from "node:os";
import { join } from "node:path";
import { signedHeaders } from "../src/auth/signature.js";
import { OrdergrooveClient } from "../src/client/client.js";
import { StockSync } from "../src/sync/stock-sync.js";
import { type Contender, type InterleavedRun, interleave, ratios } from "./interleave.js";
import {
  type ChildServer,
  cpuCounters,
  load,
  median,
  PINNED,
  ROOT,
  round,
  type Spread,
  sequentialLatencies,
  spread,
  startChild,
  startOgMockChild,
  stealPercent,
} from "./lib.js";
import { listingFigure } from "./listing.js";
import { ensurePrism, type Peer, startPrism } from "./peers.js";

const SMOKE = process.env.BENCH_SMOKE === "1";
const JSON_OUTPUT = process.argv.includes("--json");
const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };

interface Row {
  id: number;
  figure: string;
  value: string;
  baseline: string;
  ratio: number | null;
  /** The ratio's median [min–max] over rounds or pairs, and other views of it. */
  spread?: string;
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
  return startOgMockChild([
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

/** Round count and slice length of the interleaved figures (BENCH_ROUNDS, BENCH_SECONDS override). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 5));
const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 1 : 4));

function fmt(s: Spread, digits = 2): string {
  return `${round(s.median, digits)} [${round(s.min, digits)}–${round(s.max, digits)}]`;
}

/**
 * Figures 1, 2 and 9: the fake, the raw node:http ceiling doing the same JSON work, Express 5
 * alone doing that work (context) and, where it installs, Prism 5 mocking our spec: all started
 * together and measured in interleaved rounds, ratios per round.
 */
async function throughput(catalog: string): Promise<void> {
  // Prism is installed only by a full run, on demand: a smoke run (CI) reports its row as skipped.
  const prism: Peer = SMOKE
    ? { ok: false, reason: "smoke run (Prism is installed and measured only by a full `npm run bench`)" }
    : process.env.BENCH_PEERS === "off"
      ? { ok: false, reason: "BENCH_PEERS=off" }
      : await ensurePrism();
  for (const [id, size] of [
    [1, 1],
    [2, 100],
  ] as const) {
    const body = items(size);
    const servers: Record<string, ChildServer> = {
      ceiling: await startChild(join(ROOT, "bench/ceiling-server.ts")),
      fake: await startFake(catalog),
      express: await startChild(join(ROOT, "bench/express-floor-server.ts")),
    };
    // Prism answers the same signed request with its example (it neither checks the signature nor
    // keeps a catalog): a peer for the 1-item figure only.
    if (id === 1 && prism.ok) servers.prism = await startPrism(prism);
    const contenders: Contender[] = Object.entries(servers).map(([name, server]) => ({
      name,
      server,
      url: `${server.url}/products-batch/update/`,
      headers,
      body,
    }));
    let run: InterleavedRun;
    try {
      run = await interleave(contenders, {
        rounds: ROUNDS,
        seconds: SECONDS,
        connections: 10,
        warmupSeconds: SMOKE ? 1 : 2,
      });
    } finally {
      for (const server of Object.values(servers)) await server.stop();
    }
    const rps = (name: string) => spread(run.slices[name]!.map((s) => s.requestsPerSecond));
    const p99 = (name: string) => spread(run.slices[name]!.map((s) => s.p99));
    const cpu = (name: string) => spread(run.slices[name]!.map((s) => s.cpuPerRequestUs));
    const ratio = spread(ratios(run, "fake", "ceiling", (s) => s.requestsPerSecond));
    // CPU view: ceiling's CPU per request over the fake's (1.0 = as cheap as the ceiling).
    const cpuRatio = spread(ratios(run, "ceiling", "fake", (s) => s.cpuPerRequestUs));
    const express = spread(ratios(run, "express", "ceiling", (s) => s.requestsPerSecond));
    const fakeP99 = p99("fake");
    const numbers = {
      rounds: run.rounds,
      secondsPerSlice: SECONDS,
      stealPercent: run.stealPercent ?? -1,
      ratio: ratio.median,
      ratioMin: ratio.min,
      ratioMax: ratio.max,
      cpuRatio: cpuRatio.median,
      cpuRatioMin: cpuRatio.min,
      cpuRatioMax: cpuRatio.max,
      rps: rps("fake").median,
      p99: fakeP99.median,
      p99Max: fakeP99.max,
      fakeCpuPerRequestUs: cpu("fake").median,
      ceilingRps: rps("ceiling").median,
      ceilingP99: p99("ceiling").median,
      ceilingCpuPerRequestUs: cpu("ceiling").median,
      expressAloneRps: rps("express").median,
      expressAloneRatio: express.median,
    };
    const rounds = `${run.rounds} rounds × ${SECONDS} s, steal ${run.stealPercent ?? "n/a"}%`;
    if (size === 1) {
      rows.push({
        id,
        figure: `standalone fake, 1-item signed batch, 10 connections (${rounds})`,
        value: `${Math.round(rps("fake").median)} req/s, p99 ${fakeP99.median} ms (max ${fakeP99.max}); CPU per request ${round(cpu("fake").median, 1)} µs`,
        baseline: `ceiling ${Math.round(rps("ceiling").median)} req/s, CPU per request ${round(cpu("ceiling").median, 1)} µs (Express 5 alone, same JSON work: ${fmt(express)} of ceiling)`,
        ratio: round(ratio.median),
        spread: `${fmt(ratio)}; CPU view ${fmt(cpuRatio)}`,
        target: "≥ 0.6 of ceiling, p99 < 5 ms",
        met: ratio.median >= 0.6 && fakeP99.median < 5,
        numbers,
      });
      if (!prism.ok) {
        console.error(`bench: Prism skipped: ${prism.reason}`);
        rows.push({
          id: 9,
          figure: "Prism 5 mock of the same spec, the same signed 1-item request",
          value: `skipped: ${prism.reason}`,
          baseline: "",
          ratio: null,
          spread: "",
          target: "fake ≥ 10x Prism",
          met: null,
          numbers: {},
        });
      } else {
        const vsPrism = spread(ratios(run, "fake", "prism", (s) => s.requestsPerSecond));
        rows.push({
          id: 9,
          figure: `Prism ${prism.version} (\`prism mock spec/ordergroove.openapi.yaml\`), the same signed 1-item request, 10 connections (same rounds as figure 1)`,
          value: `${Math.round(rps("prism").median)} req/s, p99 ${p99("prism").median} ms; CPU per request ${round(cpu("prism").median, 1)} µs`,
          baseline: `the fake: ${Math.round(rps("fake").median)} req/s`,
          ratio: round(vsPrism.median, 1),
          spread: fmt(vsPrism, 1),
          target: "fake ≥ 10x Prism",
          met: vsPrism.median >= 10,
          numbers: {
            fakeOverPrism: vsPrism.median,
            fakeOverPrismMin: vsPrism.min,
            fakeOverPrismMax: vsPrism.max,
            prismRps: rps("prism").median,
            prismP99: p99("prism").median,
            prismCpuPerRequestUs: cpu("prism").median,
          },
        });
      }
    } else {
      rows.push({
        id,
        figure: `standalone fake, 100-item signed batches, 10 connections (${rounds})`,
        value: `${Math.round(rps("fake").median * 100)} items/s, p99 ${fakeP99.median} ms; CPU per request ${round(cpu("fake").median, 1)} µs`,
        baseline: `ceiling ${Math.round(rps("ceiling").median * 100)} items/s, CPU per request ${round(cpu("ceiling").median, 1)} µs (Express 5 alone: ${fmt(express)})`,
        ratio: round(ratio.median),
        spread: `${fmt(ratio)}; CPU view ${fmt(cpuRatio)}`,
        target: "≥ 0.6 of ceiling",
        met: ratio.median >= 0.6,
        numbers,
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

/** Spawn to the first signed 207, against spawn to exit of a bare `node -e ''`, alternating A B A B. */
async function coldStart(): Promise<void> {
  const runs = SMOKE ? 2 : 15;
  const times: number[] = [];
  const bare: number[] = [];
  const ratiosPerPair: number[] = [];
  const spawnBare = () =>
    new Promise<void>((resolve, reject) => {
      const [cmd, argv] = PINNED
        ? ["taskset", ["-c", "0", process.execPath, "-e", ""]]
        : [process.execPath, ["-e", ""]];
      const child = spawn(cmd, argv, { stdio: "ignore" });
      child.once("error", reject);
      child.once("exit", () => resolve());
    });
  for (let i = 0; i < runs + 1; i++) {
    let started = performance.now();
    const fake = await startOgMockChild(["--port", "0", "--log-level", "silent"]);
    const res = await fetch(`${fake.url}/products-batch/update/`, {
      method: "PATCH",
      headers: headers(),
      body: items(1, 0, "og-coffee-beans-1kg"),
    });
    await res.text();
    if (res.status !== 207) throw new Error(`cold start: first request answered ${res.status}`);
    const fakeMs = performance.now() - started;
    await fake.stop();
    started = performance.now();
    await spawnBare();
    const bareMs = performance.now() - started;
    if (i === 0) continue; // warm-up pair: file caches
    times.push(fakeMs);
    bare.push(bareMs);
    ratiosPerPair.push(fakeMs / bareMs);
  }
  const ratio = spread(ratiosPerPair);
  rows.push({
    id: 4,
    figure: `cold start: spawn to the first signed 207 (${runs} pairs, alternating)`,
    value: `${Math.round(median(times))} ms [${Math.round(Math.min(...times))}–${Math.round(Math.max(...times))}]`,
    baseline: `bare \`node -e ''\`, spawn to exit: ${Math.round(median(bare))} ms [${Math.round(Math.min(...bare))}–${Math.round(Math.max(...bare))}]`,
    ratio: round(ratio.median),
    spread: fmt(ratio),
    target: "≤ 1.6x bare node",
    met: ratio.median <= 1.6,
    numbers: {
      medianMs: median(times),
      bareNodeMs: median(bare),
      ratio: ratio.median,
      ratioMin: ratio.min,
      ratioMax: ratio.max,
    },
  });
}

async function mswCost(): Promise<void> {
  const { setupOrdergrooveMock } = await import("../mock-server/msw/setup.js");
  const og = setupOrdergrooveMock({ throttle: false, ipLimit: false });
  const ceiling = await startChild(join(ROOT, "bench/ceiling-server.ts"));
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
    "| # | figure | value | baseline in the same run | ratio | ratio: median [min–max] | target | met |\n|---|---|---|---|---|---|---|---|";
  const body = rows
    .sort((a, b) => a.id - b.id)
    .map(
      (r) =>
        `| ${r.id} | ${r.figure} | ${r.value} | ${r.baseline} | ${r.ratio ?? ""} | ${r.spread ?? ""} | ${r.target} | ${r.met === null ? "" : r.met ? "yes" : "**no**"} |`,
    )
    .join("\n");
  return `${head}\n${body}`;
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}${PINNED ? "; servers pinned to core 0, load generator to core 1" : ""}`;
  const loadBefore = loadavg()[0]!;
  const counters = cpuCounters();
  // `--only 1,4` runs just those figures (and writes nothing): for working on one of them.
  const only = process.argv
    .find((a) => a.startsWith("--only="))
    ?.slice(7)
    .split(",")
    .map(Number);
  const figures: Array<[number[], () => Promise<void>]> = [
    [[1, 2, 9], async () => throughput(await catalogFile(1000))],
    [[3], catalogSizes],
    [[4], coldStart],
    [[5], mswCost],
    [[6], clientUnderThrottle],
    [[7], memory],
    [[8], async () => void rows.push(await listingFigure(async (size) => startFake(await catalogFile(size)), SMOKE))],
  ];
  for (const [ids, run] of figures) {
    if (only && !ids.some((id) => only.includes(id))) continue;
    console.error(`bench: figure ${ids.join(", ")}…`);
    await run();
  }
  const steal = stealPercent(counters, cpuCounters());
  const conditions = `steal time over the whole run ${steal ?? "n/a"}% (/proc/stat); 1-minute load average ${round(loadBefore, 1)} at the start, ${round(loadavg()[0]!, 1)} at the end`;
  const md = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}${SMOKE ? " (smoke run: too short to mean anything)" : ""}; ${conditions}.\n\n${table()}\n`;
  const results = {
    machine,
    date: new Date().toISOString(),
    smoke: SMOKE,
    stealPercent: steal,
    loadAverage: { start: loadBefore, end: loadavg()[0] },
    rows,
  };
  if (JSON_OUTPUT) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else console.log(`\n${md}`);
  if (SMOKE || only) return;
  writeFileSync(join(ROOT, "bench/results/latest.json"), `${JSON.stringify(results, null, 2)}\n`);
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
