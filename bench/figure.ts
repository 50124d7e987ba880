/**
 * What a figure of the bench is (./figures/<n>-<name>.ts, run in order by ./run.ts) and what the
 * figures share: the run's mode, the fake's credentials, request bodies, catalogs and starting
 * the fake the same way in every figure.
 */
import { rmSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { signedHeaders } from "../shared/auth/signature.js";
import { type ChildServer, round, type Spread, startOgMockChild } from "./lib.js";

/** One line of the results table (bench/results/latest.json keeps these keys in this order). */
export interface Row {
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

export interface Figure {
  id: number;
  /** Short name, for the progress line. */
  title: string;
  /** What the figure should reach, as the table shows it. */
  target: string;
  /** Measures the figure, with its baselines in the same run. */
  run(): Promise<Row>;
}

/** BENCH_SMOKE=1: a few-second run that checks only that the benchmarks still run. */
export const SMOKE = process.env.BENCH_SMOKE === "1";

/** Round count and slice length of the interleaved figures (BENCH_ROUNDS, BENCH_SECONDS override). */
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? (SMOKE ? 1 : 5));
export const SECONDS = Number(process.env.BENCH_SECONDS ?? (SMOKE ? 1 : 4));

/** og-mock's default merchant: the fake is started without credential flags. */
export const CREDS = { publicId: "og-mock-merchant", sigField: "og-mock-api-user", hashKey: "og-mock-hash-key" };

export function headers(): Record<string, string> {
  return { "content-type": "application/json", ...signedHeaders(CREDS, Math.floor(Date.now() / 1000)) };
}

/** A batch update body of n items. */
export function items(n: number, offset = 0, prefix = "bench-"): string {
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => ({ product_id: `${prefix}${(i + offset) % 1000}`, live: i % 2 === 0 })),
  );
}

/** The catalog files' folders of this run: gone when the bench ends, however it ends. */
const catalogDirs = new Set<string>();
function removeCatalogDirs(): void {
  for (const dir of catalogDirs) rmSync(dir, { recursive: true, force: true });
}

/** A catalog file of `size` products bench-0, bench-1, ... in a fresh temporary folder. */
export async function catalogFile(size: number): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "og-bench-"));
  if (catalogDirs.size === 0) process.once("exit", removeCatalogDirs);
  catalogDirs.add(dir);
  const path = join(dir, `catalog-${size}.json`);
  const products = Array.from({ length: size }, (_, i) => ({
    external_product_id: `bench-${i}`,
    name: `Bench product ${i}`,
    price: "9.99",
  }));
  writeFileSync(path, JSON.stringify(products));
  return path;
}

/** The fake (the bundled og-mock) on that catalog, with nothing that would slow a benchmark down. */
export function startFake(catalog: string, extra: string[] = []): Promise<ChildServer> {
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

/** A spread as the table shows it: median [min–max]. */
export function fmt(s: Spread, digits = 2): string {
  return `${round(s.median, digits)} [${round(s.min, digits)}–${round(s.max, digits)}]`;
}
