/**
 * Figure 5: what the in-process MSW handlers add to one 100-item batch update, against a fetch
 * to the raw local server (the ceiling) doing the same JSON work.
 */
import { join } from "node:path";
import { type Figure, headers, items, SMOKE } from "../figure.js";
import { median, ROOT, round, startChild } from "../lib.js";

export const id = 5;
export const title = "in-process MSW";
export const target = "< 1 ms added";

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const { setupOrdergrooveMock } = await import("../../mock-server/msw/setup.js");
    const og = setupOrdergrooveMock({ throttle: false, ipLimit: false });
    const ceiling = await startChild(join(ROOT, "bench/ceiling-server.ts"));
    const n = SMOKE ? 200 : 3000;
    const body = items(100, 0, "og-coffee-beans-1kg-");
    const time = async (url: string) => {
      const samples: number[] = [];
      for (let i = 0; i < n; i++) {
        const started = performance.now();
        const res = await fetch(url, { method: "PATCH", headers: headers(), body });
        await res.text();
        samples.push(performance.now() - started);
      }
      return median(samples.slice(Math.floor(n / 10))); // first tenth is warm-up
    };
    const raw = await time(`${ceiling.url}/products-batch/update/`);
    og.listen();
    const intercepted = await time("https://restapi.ordergroove.com/products-batch/update/");
    og.close();
    await ceiling.stop();
    const added = intercepted - raw;
    return {
      id,
      figure: "in-process MSW: one intercepted 100-item batch update (median)",
      value: `${round(intercepted, 3)} ms`,
      baseline: `fetch to the raw local server: ${round(raw, 3)} ms`,
      ratio: round(intercepted / raw),
      target,
      met: added < 1,
      numbers: { interceptedMs: intercepted, rawMs: raw, addedMs: added },
    };
  },
};
