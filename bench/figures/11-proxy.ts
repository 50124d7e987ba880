/**
 * Figure 11: what og-mock --upstream costs. The same signed 1-item batch sent to a fast local
 * upstream (the raw node:http ceiling, ../ceiling-server.ts) directly, and through og-mock
 * proxying to that same upstream, in interleaved rounds of the same run: throughput ratio
 * (proxied over direct), and the latency og-mock adds at p50 and p99, measured one request at a
 * time on a kept-alive connection so that queueing under load does not hide it.
 *
 * The proxied path runs two processes (og-mock and the upstream) where the direct one runs one;
 * on a machine where the servers share one pinned core, that alone bounds the ratio.
 */
import { join } from "node:path";
import { catalogFile, type Figure, fmt, headers, items, ROUNDS, SECONDS, SMOKE, startFake } from "../figure.js";
import { interleave, ratios } from "../interleave.js";
import { type ChildServer, median, ROOT, round, spread, startChild } from "../lib.js";
import { request, Agent } from "node:http";

export const id = 11;
export const title = "og-mock --upstream, proxying a 1-item batch";
export const target = "≥ 0.5 of direct throughput, ≤ 1 ms added at p50";

const SAMPLES = SMOKE ? 200 : 2000;

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const body = items(1);
    let upstream: ChildServer | undefined;
    let proxy: ChildServer | undefined;
    try {
      upstream = await startChild(join(ROOT, "bench/ceiling-server.ts"));
      proxy = await startFake(await catalogFile(1), ["--upstream", upstream.url]);
      const contenders = [
        { name: "direct", server: upstream, url: `${upstream.url}/products-batch/update/`, headers, body },
        { name: "proxied", server: proxy, url: `${proxy.url}/products-batch/update/`, headers, body },
      ];
      const run = await interleave(contenders, {
        rounds: ROUNDS,
        seconds: SECONDS,
        connections: 10,
        warmupSeconds: SMOKE ? 1 : 2,
      });
      const ratio = spread(ratios(run, "proxied", "direct", (s) => s.requestsPerSecond));
      const rps = (name: string) => median(run.slices[name]!.map((s) => s.requestsPerSecond));
      // Latency one request at a time, alternating blocks so both see the same machine.
      const direct: number[] = [];
      const proxied: number[] = [];
      for (let block = 0; block < 10; block++) {
        direct.push(...(await latencies(contenders[0]!.url, body, SAMPLES / 10)));
        proxied.push(...(await latencies(contenders[1]!.url, body, SAMPLES / 10)));
      }
      const p = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.floor(values.length * q)]!;
      const addedP50 = p(proxied, 0.5) - p(direct, 0.5);
      const addedP99 = p(proxied, 0.99) - p(direct, 0.99);
      return {
        id,
        figure: `${title}, 10 connections (${run.rounds} rounds × ${SECONDS} s); latency one at a time (${SAMPLES} each)`,
        value: `${Math.round(rps("proxied"))} req/s; added latency p50 ${round(addedP50, 3)} ms, p99 ${round(addedP99, 3)} ms`,
        baseline: `direct to the same upstream: ${Math.round(rps("direct"))} req/s, p50 ${round(p(direct, 0.5), 3)} ms, p99 ${round(p(direct, 0.99), 3)} ms`,
        ratio: round(ratio.median),
        spread: fmt(ratio),
        target,
        met: ratio.median >= 0.5 && addedP50 <= 1,
        numbers: {
          ratio: ratio.median,
          ratioMin: ratio.min,
          ratioMax: ratio.max,
          proxiedRps: rps("proxied"),
          directRps: rps("direct"),
          addedP50Ms: addedP50,
          addedP99Ms: addedP99,
          directP50Ms: p(direct, 0.5),
          proxiedP50Ms: p(proxied, 0.5),
        },
      };
    } finally {
      await proxy?.stop();
      await upstream?.stop();
    }
  },
};

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** `count` sequential requests on one kept-alive connection; each one's time in ms. */
async function latencies(url: string, body: string, count: number): Promise<number[]> {
  const { hostname, port, pathname } = new URL(url);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ hostname, port, path: pathname, method: "PATCH", headers: headers(), agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
    if (status < 200 || status >= 300) throw new Error(`answer ${status} while measuring latency`);
    out.push(performance.now() - started);
  }
  return out;
}
