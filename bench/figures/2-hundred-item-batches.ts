/**
 * Figure 2: as figure 1, with 100-item batches (items per second), in rounds of its own with
 * the same three servers.
 */
import { catalogFile, type Figure, fmt } from "../figure.js";
import { round } from "../lib.js";
import { measureThroughput } from "../throughput.js";

export const id = 2;
export const title = "standalone fake, 100-item signed batches";
export const target = "≥ 0.85 of ceiling";

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const { rps, p99, cpu, ratio, cpuRatio, express, rounds, numbers } = await measureThroughput(
      await catalogFile(1000),
      100,
    );
    return {
      id,
      figure: `${title}, 10 connections (${rounds})`,
      value: `${Math.round(rps("fake").median * 100)} items/s, p99 ${p99("fake").median} ms; CPU per request ${round(cpu("fake").median, 1)} µs`,
      baseline: `ceiling ${Math.round(rps("ceiling").median * 100)} items/s, CPU per request ${round(cpu("ceiling").median, 1)} µs (Express 5 alone: ${fmt(express)})`,
      ratio: round(ratio.median),
      spread: `${fmt(ratio)}; CPU view ${fmt(cpuRatio)}`,
      target,
      met: ratio.median >= 0.85,
      numbers,
    };
  },
};
