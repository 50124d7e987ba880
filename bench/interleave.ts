/**
 * Several servers measured in turns: round 1 runs each for a few seconds, round 2 again in a
 * rotated order, and so on. On a shared machine the speed available drifts from minute to
 * minute; servers measured in the same round saw (nearly) the same machine, so the ratio of two
 * of them is taken per round and the rounds' ratios are summarised as a median with its spread.
 *
 * Besides requests per second, each slice records the server's own CPU time per request
 * (/proc/<pid>/stat): when other work on the machine takes CPU away, throughput falls but CPU per
 * request moves much less, so it is a second, steadier view of the same comparison.
 */
import { type ChildServer, cpuCounters, cpuSeconds, load, type LoadResult, stealPercent } from "./lib.js";

export interface Contender {
  name: string;
  server: ChildServer;
  /** Full URL to load. */
  url: string;
  headers: () => Record<string, string>;
  body: string;
  /** Answers that count as success, e.g. [207]; anything else fails the figure. */
  expectStatus?: "2xx";
}

export interface Slice extends LoadResult {
  /** Server CPU time per answered request, in microseconds. */
  cpuPerRequestUs: number;
}

export interface InterleavedRun {
  /** slices[name][round] */
  slices: Record<string, Slice[]>;
  rounds: number;
  /** Machine steal time during the run, % of all CPU time (null without /proc/stat). */
  stealPercent: number | null;
}

export async function interleave(
  contenders: Contender[],
  opts: { rounds: number; seconds: number; connections: number; warmupSeconds: number },
): Promise<InterleavedRun> {
  for (const c of contenders) {
    await load({
      url: c.url,
      connections: opts.connections,
      durationSeconds: opts.warmupSeconds,
      headers: c.headers(),
      body: c.body,
    });
  }
  const slices: Record<string, Slice[]> = Object.fromEntries(contenders.map((c) => [c.name, []]));
  const before = cpuCounters();
  for (let round = 0; round < opts.rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(round + k) % contenders.length]!;
      const pid = c.server.child.pid!;
      const cpuBefore = cpuSeconds(pid);
      const result = await load({
        url: c.url,
        connections: opts.connections,
        durationSeconds: opts.seconds,
        headers: c.headers(),
        body: c.body,
      });
      const cpu = cpuSeconds(pid) - cpuBefore;
      if (result.errors || result.non2xx) {
        throw new Error(`${c.name}: ${result.errors} errors and ${result.non2xx} non-2xx answers while measuring`);
      }
      slices[c.name]!.push({ ...result, cpuPerRequestUs: result.requests ? (cpu * 1e6) / result.requests : 0 });
    }
  }
  return { slices, rounds: opts.rounds, stealPercent: stealPercent(before, cpuCounters()) };
}

/** Per-round ratio a/b of a figure of two contenders. */
export function ratios(run: InterleavedRun, a: string, b: string, pick: (s: Slice) => number): number[] {
  return run.slices[a]!.map((slice, i) => pick(slice) / pick(run.slices[b]![i]!));
}
