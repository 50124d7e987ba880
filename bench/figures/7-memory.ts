/** Figure 7: the fake's peak resident memory with a large catalog and a full journal, under load. */
import { catalogFile, type Figure, headers, SMOKE, startFake } from "../figure.js";
import { load } from "../lib.js";

export const id = 7;
export const title = "memory";
export const target = "< 200 MB";

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
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
    return {
      id,
      figure: `memory: peak RSS with ${size / 1000}k products and a full journal (${health.journal.size} × 100-item batches)`,
      value: `${Math.round(peak / 1024 / 1024)} MB`,
      baseline: "",
      ratio: null,
      target,
      met: peak < 200 * 1024 * 1024,
      numbers: { peakRssBytes: peak, journalEntries: health.journal.size },
    };
  },
};
