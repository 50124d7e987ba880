/**
 * Figure 8: a page of 100 products (GET /products/, unfiltered) from the middle of the catalog,
 * by catalog size, in both pagination forms: the page-number form every public client uses
 * (`page_size` and `page`, following `next`) and the cursor form (X-OG-API-VERSION 2). A cursor
 * page starts at its cursor's position; a numbered page needs the count of every match, which
 * the fake walks once and keeps while the catalog is unchanged. Both should cost the same at
 * 100k products as at 1k: O(page), not O(catalog), once a listing has started.
 */
import { catalogFile, type Figure, type Row, SMOKE, startFake } from "../figure.js";
import { median, round } from "../lib.js";

const SIZES = SMOKE ? [1000, 10_000] : [1000, 10_000, 100_000];

export const id = 8;
export const title = "page of 100 products by catalog size, both forms";
export const target = `${SIZES.at(-1)! / 1000}k within 1.5x of 1k (page number), 1.2x (cursor)`;

const HEADERS = { "x-api-key": "og-mock-api-key", "x-og-api-version": "2" };
const WHOLE = "autoship_enabled=all&allow_discontinued=true&page_size=100";

export const figure: Figure = { id, title, target, run: () => listing(SIZES, SMOKE) };

async function listing(sizes: number[], smoke: boolean): Promise<Row> {
  const cursorP50: Record<number, number> = {};
  const numberP50: Record<number, number> = {};
  const fakes = await Promise.all(sizes.map(async (size) => startFake(await catalogFile(size))));
  try {
    // Walk each catalog to its middle by next links (the cursor is opaque).
    const cursorUrls: string[] = [];
    for (const [i, size] of sizes.entries()) {
      let url = `${fakes[i]!.url}/products/?${WHOLE}`;
      for (let read = 0; read < size / 2; read += 100) {
        const page = (await (await fetch(url, { headers: HEADERS })).json()) as { next: string | null };
        url = page.next!;
      }
      cursorUrls.push(url);
    }
    const numberUrls = sizes.map((size, i) => `${fakes[i]!.url}/products/?${WHOLE}&page=${Math.floor(size / 200)}`);
    // Interleaved, one request per size and form in turn, so the machine's noise falls on all alike.
    const cursorSamples: number[][] = sizes.map(() => []);
    const numberSamples: number[][] = sizes.map(() => []);
    const runs = smoke ? 50 : 1000;
    const warmup = smoke ? 20 : 300;
    for (let n = 0; n < warmup + runs; n++) {
      for (const i of sizes.keys()) {
        const cursor = await timedPage(cursorUrls[i]!, HEADERS);
        const number = await timedPage(numberUrls[i]!, { "x-api-key": HEADERS["x-api-key"] });
        if (n >= warmup) {
          cursorSamples[i]!.push(cursor);
          numberSamples[i]!.push(number);
        }
      }
    }
    sizes.forEach((size, i) => {
      cursorP50[size] = round(median(cursorSamples[i]!), 3);
      numberP50[size] = round(median(numberSamples[i]!), 3);
    });
  } finally {
    await Promise.all(fakes.map((f) => f.stop()));
  }
  const largest = sizes.at(-1)!;
  const numberRatio = numberP50[largest]! / numberP50[1000]!;
  const cursorRatio = cursorP50[largest]! / cursorP50[1000]!;
  const show = (p50: Record<number, number>) => sizes.map((s) => `${s / 1000}k: ${p50[s]} ms`).join(", ");
  return {
    id,
    figure:
      "page of 100 products from the middle of the catalog (median, 1 connection), by catalog size: page-number form; cursor form (X-OG-API-VERSION 2) in the spread column",
    value: `page number ${show(numberP50)}; cursor ${show(cursorP50)}`,
    baseline: `the same page at 1k: page number ${numberP50[1000]} ms, cursor ${cursorP50[1000]} ms`,
    ratio: round(numberRatio),
    spread: `cursor ${round(cursorRatio)}`,
    target,
    met: numberRatio <= 1.5 && cursorRatio <= 1.2,
    numbers: {
      ...Object.fromEntries(sizes.map((s) => [`p50_${s}`, cursorP50[s]!])),
      ...Object.fromEntries(sizes.map((s) => [`page_number_p50_${s}`, numberP50[s]!])),
    },
  };
}

/** One page's round trip in ms; throws unless it is a full page of 100. */
async function timedPage(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  const page = (await res.json()) as { results: unknown[] };
  if (res.status !== 200 || page.results.length !== 100) throw new Error(`figure 8: answer ${res.status}`);
  return performance.now() - started;
}
