/**
 * Figure 3: latency of a 100-item batch by catalog size, ids spread over the whole catalog:
 * lookups are O(1), so 100k products should cost what 1k do.
 */
import { catalogFile, type Figure, headers, SMOKE, startFake } from "../figure.js";
import { median, round, sequentialLatencies } from "../lib.js";

const SIZES = SMOKE ? [1000, 10_000] : [1000, 10_000, 100_000];
const LARGEST = SIZES.at(-1)!;

export const id = 3;
export const title = "100-item batch latency by catalog size";
export const target = `${LARGEST / 1000}k within 1.2x of 1k`;

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const p50: Record<string, number> = {};
    for (const size of SIZES) {
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
    const ratio = p50[LARGEST]! / p50[1000]!;
    return {
      id,
      figure: `100-item batch latency (median, 1 connection, ids spread over the catalog) by catalog size`,
      value: SIZES.map((s) => `${s / 1000}k: ${p50[s]} ms`).join(", "),
      baseline: `1k: ${p50[1000]} ms`,
      ratio: round(ratio),
      target,
      met: ratio <= 1.2,
      numbers: Object.fromEntries(SIZES.map((s) => [`p50_${s}`, p50[s]!])),
    };
  },
};
