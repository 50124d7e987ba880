/**
 * Figure 1: the standalone fake answering a signed 1-item batch update, against the raw
 * node:http ceiling doing the same JSON work (and Express 5 alone, for context), in interleaved
 * rounds. Prism joins these rounds as a fourth server when it is installed: figure 9 reads its
 * row from the same rounds.
 */
import { catalogFile, type Figure, fmt, SMOKE } from "../figure.js";
import { round } from "../lib.js";
import { type Peer, prismForThisRun, startPrism } from "../peers.js";
import { measureThroughput, type Throughput } from "../throughput.js";

export const id = 1;
export const title = "standalone fake, 1-item signed batch";
export const target = "≥ 0.85 of ceiling, p99 < 5 ms";

let rounds: Promise<Throughput & { prism: Peer }> | undefined;

/** The rounds of figure 1, measured once per bench run, whichever of figures 1 and 9 asks first. */
export function oneItemRounds(): Promise<Throughput & { prism: Peer }> {
  rounds ??= (async () => {
    const catalog = await catalogFile(1000);
    const prism = await prismForThisRun(SMOKE);
    // Prism answers the same signed request with its example (it neither checks the signature nor
    // keeps a catalog): a peer for the 1-item figure only.
    const t = await measureThroughput(catalog, 1, prism.ok ? { prism: () => startPrism(prism) } : {});
    return { ...t, prism };
  })();
  return rounds;
}

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const { rps, p99, cpu, ratio, cpuRatio, express, rounds, numbers } = await oneItemRounds();
    const fakeP99 = p99("fake");
    return {
      id,
      figure: `${title}, 10 connections (${rounds})`,
      value: `${Math.round(rps("fake").median)} req/s, p99 ${fakeP99.median} ms (max ${fakeP99.max}); CPU per request ${round(cpu("fake").median, 1)} µs`,
      baseline: `ceiling ${Math.round(rps("ceiling").median)} req/s, CPU per request ${round(cpu("ceiling").median, 1)} µs (Express 5 alone, same JSON work: ${fmt(express)} of ceiling)`,
      ratio: round(ratio.median),
      spread: `${fmt(ratio)}; CPU view ${fmt(cpuRatio)}`,
      target,
      met: ratio.median >= 0.85 && fakeP99.median < 5,
      numbers,
    };
  },
};
