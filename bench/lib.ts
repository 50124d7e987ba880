/** Shared pieces of the benchmarks: child-process servers, load runs, small statistics. */
import { type ChildProcess, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import autocannon from "autocannon";
import { type RunningProcess, startOgMock, startServerProcess } from "../mock-server/cli/start-og-mock.js";

export const ROOT = fileURLToPath(new URL("../", import.meta.url));
export const OG_MOCK_BIN = `${ROOT}dist/mock-server/bin/og-mock.js`;

export interface ChildServer {
  url: string;
  child: ChildProcess;
  /** Peak resident memory so far, from /proc (Linux), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/**
 * Servers run on core 0 and this process (the load generator) on core 1, when taskset exists:
 * on a 2-core machine that keeps the generator from stealing the server's core, for every
 * server alike.
 */
const TASKSET = (() => {
  try {
    execFileSync("taskset", ["-cp", "1", String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();
export const PINNED = TASKSET;

/**
 * Starts a server process (a .js entry with node, a .ts one through tsx) pinned like every
 * server (or to `core`: figure 11 puts its upstream beside the load generator), and waits for its
 * "listening on http://..." line.
 */
export async function startChild(bin: string, args: string[] = [], core = 0): Promise<ChildServer> {
  return withPeakRss(await startServerProcess({ ...childOptions(bin, args, core), name: basename(bin) }));
}

/** og-mock from the bundle `npm run build` makes, as the installed bin runs, started like startChild. */
export async function startOgMockChild(args: string[]): Promise<ChildServer> {
  return withPeakRss(await startOgMock(childOptions(OG_MOCK_BIN, args)));
}

function childOptions(bin: string, args: string[], core = 0) {
  return {
    bin,
    args,
    cwd: ROOT,
    launcher: TASKSET ? ["taskset", "-c", String(core)] : [],
    timeoutMs: 60_000,
    // Drain, without keeping, what a chatty server (Prism logs every request) prints under load.
    keepOutput: false,
  };
}

function withPeakRss(server: RunningProcess): ChildServer {
  return {
    url: server.url,
    child: server.child,
    peakRss: () => {
      const status = readFileSync(`/proc/${server.child.pid}/status`, "utf8");
      return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
    },
    stop: async () => {
      await server.stop();
    },
  };
}

export interface LoadResult {
  requestsPerSecond: number;
  /** Requests answered in the run. */
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(opts: {
  url: string;
  connections: number;
  durationSeconds: number;
  headers: Record<string, string>;
  body: string;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    method: "PATCH",
    connections: opts.connections,
    duration: opts.durationSeconds,
    headers: opts.headers,
    body: opts.body,
  });
  return {
    requestsPerSecond: result.requests.average,
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
}
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** The machine's CPU counters (all cores) from /proc/stat: steal is time the hypervisor gave to others. */
export interface CpuCounters {
  steal: number;
  total: number;
}

export function cpuCounters(): CpuCounters {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    return { steal: fields[7] ?? 0, total: fields.slice(0, 8).reduce((a, b) => a + b, 0) };
  } catch {
    return { steal: 0, total: 0 };
  }
}

/** Steal between two readings, as a percentage of all CPU time; null where /proc/stat is absent. */
export function stealPercent(from: CpuCounters, to: CpuCounters): number | null {
  const total = to.total - from.total;
  return total > 0 ? round(((to.steal - from.steal) / total) * 100, 1) : null;
}

/** Median with the spread of the values it summarises. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spread(values: number[]): Spread {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** Latency of `count` sequential requests on one kept-alive connection, in ms (sub-millisecond precision). */
export async function sequentialLatencies(
  url: string,
  headers: Record<string, string>,
  body: string,
  count: number,
): Promise<number[]> {
  const { hostname, port, pathname } = new URL(url);
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ hostname, port, path: pathname, method: "PATCH", headers, agent }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode ?? 0));
      });
      req.on("error", reject);
      req.end(body);
    });
    if (status !== 207) throw new Error(`answer ${status} while measuring latency`);
    samples.push(performance.now() - started);
  }
  return samples;
}
