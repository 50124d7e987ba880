/**
 * Figure 6: the reference client and StockSync pushing many stock changes through the fake set
 * to a tight throttle: how much of the allowed capacity they use, with nothing lost and no 429.
 */
import { OrdergrooveClient } from "../../src/client/client.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { catalogFile, CREDS, type Figure, SMOKE, startFake } from "../figure.js";
import { round } from "../lib.js";

export const id = 6;
export const title = "client + sync under a throttle";
export const target = "≥ 0.95, none lost, no 429";

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const total = SMOKE ? 2000 : 20_000;
    const limit = 20; // requests per window
    const windowMs = 1000; // 20 requests/s = 1,200/min: 200 batches take ~10 s
    const fake = await startFake(await catalogFile(total), ["--throttle", "off"]);
    await fetch(`${fake.url}/__admin/settings`, {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ throttle: { limit, windowMs } }),
    });
    const client = new OrdergrooveClient({
      environment: { baseUrl: fake.url },
      credentials: { kind: "hmac", ...CREDS },
      rateLimit: { limit, windowMs },
      concurrency: 4,
    });
    let applied = 0;
    let failed = 0;
    const sync = new StockSync({
      client,
      thresholds: { restockAt: 1 },
      flushIntervalMs: 0,
      maxPending: Number.POSITIVE_INFINITY,
      onFlush: (f) => {
        applied += f.report.updated.length;
        failed += f.report.failed.length + f.rejected.length;
      },
    });
    const started = performance.now();
    for (let i = 0; i < total; i++) sync.record({ productId: `bench-${i}`, stock: 0 });
    await sync.close();
    const minutes = (performance.now() - started) / 60_000;
    const journal = (await (await fetch(`${fake.url}/__admin/journal`)).json()) as {
      total: number;
      entries: Array<{ response: { status?: number } }>;
    };
    const throttled = journal.entries.filter((e) => e.response.status === 429).length;
    await fake.stop();
    const perMinuteCapacity = (limit * 60_000) / windowMs;
    const utilisation = applied / minutes / (perMinuteCapacity * 100);
    return {
      id,
      figure: `client + sync, ${total} stock changes under a ${perMinuteCapacity}/min throttle`,
      value: `utilisation ${round(utilisation)}, ${applied} applied in ${round(minutes * 60, 1)} s, ${failed} lost, ${throttled} × 429`,
      baseline: `capacity ${perMinuteCapacity * 100} items/min`,
      ratio: round(utilisation),
      target,
      met: utilisation >= 0.95 && failed === 0 && applied === total && throttled === 0,
      numbers: { utilisation, applied, failed, seconds: minutes * 60, throttled },
    };
  },
};
