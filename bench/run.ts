/**
 * `npm run bench`: every benchmark of the kit, as ratios against baselines run side by side in
 * the same run (never as timed asserts). Servers compared with each other run together and are
 * measured in interleaved rounds (./interleave.ts); ratios are taken per round and reported as
 * a median with the spread [min–max], next to the machine's steal time. Prints a table, writes
 * bench/results/latest.json and latest.md, and refreshes the table in docs/performance.md; `--json` prints the
 * results as JSON on stdout instead of the table; `--only=1,4` runs just those figures and writes
 * nothing.
 *
 * BENCH_SMOKE=1 runs a few-second version for CI that checks nothing but that the benchmarks
 * still run (no Prism: installing and starting it would more than double CI's bench time, and a
 * peer's speed says nothing about whether our benchmarks still work).
 *
 * A new figure is one file in ./figures exporting a Figure (./figure.ts), added to FIGURES
 * below; the interleaved runner (./throughput.ts, ./interleave.ts) takes any number of servers.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { type Figure, type Row, SMOKE } from "./figure.js";
import { figure as oneItemBatch } from "./figures/1-one-item-batch.js";
import { figure as hundredItemBatches } from "./figures/2-hundred-item-batches.js";
import { figure as catalogSizes } from "./figures/3-catalog-sizes.js";
import { figure as coldStart } from "./figures/4-cold-start.js";
import { figure as mswCost } from "./figures/5-msw-cost.js";
import { figure as clientUnderThrottle } from "./figures/6-client-under-throttle.js";
import { figure as memory } from "./figures/7-memory.js";
import { figure as listing } from "./figures/8-listing.js";
import { figure as prism } from "./figures/9-prism.js";
import { figure as outbox } from "./figures/10-outbox.js";
import { figure as proxy } from "./figures/11-proxy.js";
import { cpuCounters, PINNED, ROOT, round, stealPercent } from "./lib.js";

/**
 * In the order they run. Prism (9) is measured in figure 1's rounds, so its row comes right
 * after figure 1's, before figure 2 starts servers of its own; the table is sorted by id.
 */
const FIGURES: Figure[] = [
  oneItemBatch,
  prism,
  hundredItemBatches,
  catalogSizes,
  coldStart,
  mswCost,
  clientUnderThrottle,
  memory,
  listing,
  outbox,
  proxy,
];

const JSON_OUTPUT = process.argv.includes("--json");

function table(rows: Row[]): string {
  const head =
    "| # | figure | value | baseline in the same run | ratio | ratio: median [min–max] | target | met |\n|---|---|---|---|---|---|---|---|";
  const body = rows
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
  const rows: Row[] = [];
  for (const figure of FIGURES) {
    if (only && !only.includes(figure.id)) continue;
    console.error(`bench: figure ${figure.id} (${figure.title})…`);
    rows.push(await figure.run());
  }
  rows.sort((a, b) => a.id - b.id);
  const steal = stealPercent(counters, cpuCounters());
  const conditions = `steal time over the whole run ${steal ?? "n/a"}% (/proc/stat); 1-minute load average ${round(loadBefore, 1)} at the start, ${round(loadavg()[0]!, 1)} at the end`;
  const md = `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}${SMOKE ? " (smoke run: too short to mean anything)" : ""}; ${conditions}.\n\n${table(rows)}\n`;
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
  const pagePath = join(ROOT, "docs/performance.md");
  const readme = readFileSync(pagePath, "utf8");
  writeFileSync(
    pagePath,
    readme.replace(
      /<!-- bench:start -->[\s\S]*?<!-- bench:end -->/,
      () => `<!-- bench:start -->\n${md}<!-- bench:end -->`,
    ),
  );
}

await main();
