/**
 * Figure 11: what og-mock --upstream costs. The same signed 1-item batch sent to a fast local
 * upstream (the raw node:http ceiling, ../ceiling-server.ts) directly, and through og-mock
 * proxying to that same upstream, in interleaved rounds of the same run: throughput ratio
 * (proxied over direct), and the latency og-mock adds at p50 and p99.
 *
 * Where each process runs: the upstream stands for Ordergroove, which never shares a CPU with
 * og-mock, so it runs beside the load generator (core 1) in both arms, and the proxies on core 0.
 * Both arms then have the same client and upstream on the same core; the proxied arm adds og-mock
 * and nothing else. (With og-mock on the upstream's core, the figure would charge og-mock for the
 * upstream's work as well: no proxy on node:http, however bare, reaches 0.5 there; see
 * docs/performance.md.)
 *
 * Beside og-mock, the same rounds measure a bare node:http proxy (../bare-proxy-server.ts): the
 * floor for any proxy written on node:http, so the row says how much of og-mock's cost is its own.
 *
 * Latency is measured one request at a time on kept-alive connections, a direct request and a
 * proxied one in turn, so that queueing under load does not hide it and both see the same moment;
 * the added latency is taken per pair (proxied minus the direct one beside it), and its p50 and p99
 * are quantiles of those differences.
 */
import { join } from "node:path";
import { Agent, request } from "node:http";
import { catalogFile, type Figure, fmt, headers, items, ROUNDS, SECONDS, SMOKE, startFake } from "../figure.js";
import { interleave, ratios } from "../interleave.js";
import { type ChildServer, median, ROOT, round, spread, startChild } from "../lib.js";

export const id = 11;
export const title = "og-mock --upstream, proxying a 1-item batch";
export const target = "≥ 0.5 of direct throughput, ≤ 1 ms added at p50";

const PAIRS = SMOKE ? 200 : 2000;
const UPSTREAM_CORE = 1;

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const body = items(1);
    const servers: ChildServer[] = [];
    try {
      const upstream = await startChild(join(ROOT, "bench/ceiling-server.ts"), [], UPSTREAM_CORE);
      servers.push(upstream);
      const proxy = await startFake(await catalogFile(1), ["--upstream", upstream.url]);
      servers.push(proxy);
      const bare = await startChild(join(ROOT, "bench/bare-proxy-server.ts"), [upstream.url]);
      servers.push(bare);
      const path = "/products-batch/update/";
      await expectCleanAnswer(`${proxy.url}${path}`, body);
      const contenders = [
        { name: "direct", server: upstream, url: `${upstream.url}${path}`, headers, body },
        { name: "proxied", server: proxy, url: `${proxy.url}${path}`, headers, body },
        { name: "bare", server: bare, url: `${bare.url}${path}`, headers, body },
      ];
      const run = await interleave(contenders, {
        rounds: ROUNDS,
        seconds: SECONDS,
        connections: 10,
        warmupSeconds: SMOKE ? 1 : 2,
      });
      const ratio = spread(ratios(run, "proxied", "direct", (s) => s.requestsPerSecond));
      const bareRatio = spread(ratios(run, "bare", "direct", (s) => s.requestsPerSecond));
      // CPU view: og-mock's own CPU time per request over the bare proxy's (1.0: no dearer than the floor).
      const cpuOverBare = spread(ratios(run, "proxied", "bare", (s) => s.cpuPerRequestUs));
      const rps = (name: string) => median(run.slices[name]!.map((s) => s.requestsPerSecond));
      const cpu = (name: string) => median(run.slices[name]!.map((s) => s.cpuPerRequestUs));
      const { added, direct } = await pairedLatencies(contenders[0]!.url, contenders[1]!.url, body, PAIRS);
      const addedP50 = quantile(added, 0.5);
      const addedP99 = quantile(added, 0.99);
      return {
        id,
        figure: `${title}, 10 connections (${run.rounds} rounds × ${SECONDS} s, upstream on the load generator's core); latency one at a time (${PAIRS} pairs)`,
        value: `${Math.round(rps("proxied"))} req/s, CPU per request ${round(cpu("proxied"), 1)} µs; added latency p50 ${round(addedP50, 3)} ms, p99 ${round(addedP99, 3)} ms`,
        baseline: `direct to the same upstream: ${Math.round(rps("direct"))} req/s, p50 ${round(quantile(direct, 0.5), 3)} ms, p99 ${round(quantile(direct, 0.99), 3)} ms (a bare node:http proxy: ${fmt(bareRatio)} of direct, CPU per request ${round(cpu("bare"), 1)} µs; og-mock's CPU per request over the bare proxy's: ${fmt(cpuOverBare)})`,
        ratio: round(ratio.median),
        spread: fmt(ratio),
        target,
        met: ratio.median >= 0.5 && addedP50 <= 1,
        numbers: {
          ratio: ratio.median,
          ratioMin: ratio.min,
          ratioMax: ratio.max,
          bareRatio: bareRatio.median,
          cpuOverBare: cpuOverBare.median,
          proxiedRps: rps("proxied"),
          directRps: rps("direct"),
          bareRps: rps("bare"),
          proxiedCpuUs: cpu("proxied"),
          bareCpuUs: cpu("bare"),
          addedP50Ms: addedP50,
          addedP99Ms: addedP99,
          directP50Ms: quantile(direct, 0.5),
          directP99Ms: quantile(direct, 0.99),
        },
      };
    } finally {
      for (const server of servers.reverse()) await server.stop();
    }
  },
};

/** The q-quantile (nearest rank) of some numbers. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

/**
 * The proxied answer must be the upstream's, unremarked: an answer with violations would make og-mock
 * do the extra work of reporting them, and the figure would measure that instead.
 */
async function expectCleanAnswer(url: string, body: string): Promise<void> {
  const answer = await fetch(url, { method: "PATCH", headers: headers(), body });
  await answer.arrayBuffer();
  const source = answer.headers.get("x-og-mock-source");
  const violations = answer.headers.get("x-og-mock-violations");
  if (answer.status !== 207 || source !== "real" || violations !== null) {
    throw new Error(
      `og-mock did not pass the upstream's answer cleanly: ${answer.status}, source ${source}, violations ${violations}`,
    );
  }
}

/** `pairs` direct and proxied requests in turn, one at a time; each proxied one's time minus its direct neighbour's, in ms. */
async function pairedLatencies(
  directUrl: string,
  proxiedUrl: string,
  body: string,
  pairs: number,
): Promise<{ added: number[]; direct: number[] }> {
  const agents = [
    new Agent({ keepAlive: true, maxSockets: 1 }),
    new Agent({ keepAlive: true, maxSockets: 1 }),
  ] as const;
  const added: number[] = [];
  const direct: number[] = [];
  try {
    // A few unmeasured pairs first, so both connections are open and warm.
    for (let i = -20; i < pairs; i++) {
      const d = await timed(directUrl, body, agents[0]);
      const p = await timed(proxiedUrl, body, agents[1]);
      if (i < 0) continue;
      direct.push(d);
      added.push(p - d);
    }
  } finally {
    for (const agent of agents) agent.destroy();
  }
  return { added, direct };
}

/** One request on a kept-alive connection; its time in ms. */
async function timed(url: string, body: string, agent: Agent): Promise<number> {
  const { hostname, port, pathname } = new URL(url);
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
  return performance.now() - started;
}
