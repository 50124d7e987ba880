/**
 * The server comparison behind figures 1, 2 and 9: the fake, the raw node:http ceiling doing the
 * same JSON work, Express 5 alone doing that work (context) and any peers (Prism), all started
 * together and measured in interleaved rounds (./interleave.ts), ratios per round.
 */
import { join } from "node:path";
import { headers, items, ROUNDS, SECONDS, SMOKE, startFake } from "./figure.js";
import { type Contender, type InterleavedRun, interleave, ratios } from "./interleave.js";
import { type ChildServer, ROOT, type Spread, spread, startChild } from "./lib.js";

export interface Throughput {
  run: InterleavedRun;
  /** Per-contender spreads over the rounds. */
  rps(name: string): Spread;
  p99(name: string): Spread;
  cpu(name: string): Spread;
  /** Fake over ceiling, requests per second. */
  ratio: Spread;
  /** CPU view: ceiling's CPU per request over the fake's (1.0 = as cheap as the ceiling). */
  cpuRatio: Spread;
  /** Express alone over ceiling, requests per second. */
  express: Spread;
  /** "5 rounds × 4 s, steal 0%" */
  rounds: string;
  numbers: Record<string, number>;
}

/** Batches of `size` items to every server; `peers` start after the three of every run, in this order. */
export async function measureThroughput(
  catalog: string,
  size: number,
  peers: Record<string, () => Promise<ChildServer>> = {},
): Promise<Throughput> {
  const body = items(size);
  const servers: Record<string, ChildServer> = {};
  let run: InterleavedRun;
  try {
    servers.ceiling = await startChild(join(ROOT, "bench/ceiling-server.ts"));
    servers.fake = await startFake(catalog);
    servers.express = await startChild(join(ROOT, "bench/express-floor-server.ts"));
    for (const [name, start] of Object.entries(peers)) servers[name] = await start();
    const contenders: Contender[] = Object.entries(servers).map(([name, server]) => ({
      name,
      server,
      url: `${server.url}/products-batch/update/`,
      headers,
      body,
    }));
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
  return { run, rps, p99, cpu, ratio, cpuRatio, express, rounds, numbers };
}
