/**
 * Figure 8: a cursor page of 100 products (GET /products/, X-OG-API-VERSION 2, unfiltered)
 * taken from the middle of the catalog, by catalog size. The page starts at its cursor's
 * position, so it should cost the same at 100k products as at 1k: O(page), not O(catalog).
 */
import { catalogFile, type Figure, type Row, SMOKE, startFake } from "../figure.js";
import { median, round } from "../lib.js";

const SIZES = SMOKE ? [1000, 10_000] : [1000, 10_000, 100_000];

export const id = 8;
export const title = "cursor page of 100 products by catalog size";
export const target = `${SIZES.at(-1)! / 1000}k within 1.2x of 1k`;

const HEADERS = { "x-api-key": "og-mock-api-key", "x-og-api-version": "2" };
const WHOLE = "autoship_enabled=all&allow_discontinued=true&page_size=100";

export const figure: Figure = { id, title, target, run: () => listing(SIZES, SMOKE) };

async function listing(sizes: number[], smoke: boolean): Promise<Row> {
  const p50: Record<number, number> = {};
  let pageNumber: number;
  const fakes = await Promise.all(sizes.map(async (size) => startFake(await catalogFile(size))));
  try {
    // Walk each catalog to its middle by next links (the cursor is opaque).
    const urls: string[] = [];
    for (const [i, size] of sizes.entries()) {
      let url = `${fakes[i]!.url}/products/?${WHOLE}`;
      for (let read = 0; read < size / 2; read += 100) {
        const page = (await (await fetch(url, { headers: HEADERS })).json()) as { next: string | null };
        url = page.next!;
      }
      urls.push(url);
    }
    // Interleaved, one request per size in turn, so the machine's noise falls on every size alike.
    const samples: number[][] = sizes.map(() => []);
    const runs = smoke ? 50 : 1000;
    const warmup = smoke ? 20 : 300;
    for (let n = 0; n < warmup + runs; n++) {
      for (const [i, url] of urls.entries()) {
        const started = performance.now();
        const res = await fetch(url, { headers: HEADERS });
        const page = (await res.json()) as { results: unknown[] };
        if (res.status !== 200 || page.results.length !== 100) throw new Error(`figure 8: answer ${res.status}`);
        if (n >= warmup) samples[i]!.push(performance.now() - started);
      }
    }
    sizes.forEach((size, i) => {
      p50[size] = round(median(samples[i]!), 3);
    });
    // Contrast: the deprecated page-number form counts every match, a scan of the whole catalog.
    const largestSize = sizes.at(-1)!;
    const numbered = `${fakes.at(-1)!.url}/products/?${WHOLE}&page=${Math.floor(largestSize / 200)}`;
    const scans: number[] = [];
    for (let i = 0; i < (smoke ? 5 : 50); i++) {
      const started = performance.now();
      await (await fetch(numbered, { headers: { "x-api-key": HEADERS["x-api-key"] } })).json();
      scans.push(performance.now() - started);
    }
    pageNumber = round(median(scans), 3);
  } finally {
    await Promise.all(fakes.map((f) => f.stop()));
  }
  const largest = sizes.at(-1)!;
  const ratio = p50[largest]! / p50[1000]!;
  return {
    id,
    figure: "cursor page of 100 products from the middle of the catalog (median, 1 connection), by catalog size",
    value: sizes.map((s) => `${s / 1000}k: ${p50[s]} ms`).join(", "),
    baseline: `1k: ${p50[1000]} ms (deprecated page-number form, same page at ${sizes.at(-1)! / 1000}k: ${pageNumber} ms)`,
    ratio: round(ratio),
    target,
    met: ratio <= 1.2,
    numbers: { ...Object.fromEntries(sizes.map((s) => [`p50_${s}`, p50[s]!])), page_number_p50: pageNumber },
  };
}
