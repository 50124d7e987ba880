/**
 * Figure 9: Prism 5 mocking our spec, answering the same signed 1-item request in figure 1's
 * rounds (./1-one-item-batch.ts starts it as a fourth server). Skipped, with the reason, when
 * Prism is not installed: always in a smoke run.
 */
import { type Figure, fmt, type Row } from "../figure.js";
import { ratios } from "../interleave.js";
import { round, spread } from "../lib.js";
import { oneItemRounds } from "./1-one-item-batch.js";

export const id = 9;
export const title = "Prism 5 mock of the same spec, the same signed 1-item request";
export const target = "fake ≥ 10x Prism";

export const figure: Figure = {
  id,
  title,
  target,
  async run(): Promise<Row> {
    const { prism, run, rps, p99, cpu } = await oneItemRounds();
    if (!prism.ok) {
      console.error(`bench: Prism skipped: ${prism.reason}`);
      return {
        id,
        figure: title,
        value: `skipped: ${prism.reason}`,
        baseline: "",
        ratio: null,
        spread: "",
        target,
        met: null,
        numbers: {},
      };
    }
    const vsPrism = spread(ratios(run, "fake", "prism", (s) => s.requestsPerSecond));
    return {
      id,
      figure: `Prism ${prism.version} (\`prism mock spec/ordergroove.openapi.yaml\`), the same signed 1-item request, 10 connections (same rounds as figure 1)`,
      value: `${Math.round(rps("prism").median)} req/s, p99 ${p99("prism").median} ms; CPU per request ${round(cpu("prism").median, 1)} µs`,
      baseline: `the fake: ${Math.round(rps("fake").median)} req/s`,
      ratio: round(vsPrism.median, 1),
      spread: fmt(vsPrism, 1),
      target,
      met: vsPrism.median >= 10,
      numbers: {
        fakeOverPrism: vsPrism.median,
        fakeOverPrismMin: vsPrism.min,
        fakeOverPrismMax: vsPrism.max,
        prismRps: rps("prism").median,
        prismP99: p99("prism").median,
        prismCpuPerRequestUs: cpu("prism").median,
      },
    };
  },
};
