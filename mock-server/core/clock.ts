/** Time as the fake sees it. Injected everywhere (signature window, throttle, timestamps) so tests never sleep. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to: `advance(ms)` or `set(epochMs)`. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start: number | Date = Date.UTC(2026, 10, 23, 12, 0, 0)) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
  set(epochMs: number): void {
    this.#now = epochMs;
  }
}

/**
 * Milliseconds from an arbitrary start, for measuring how long something took. `process.hrtime`
 * where it exists: Node loads `performance` on its first use, which added to og-mock's cold start
 * (bench figure 4), all of it before the first answer.
 */
export const elapsedMs: () => number =
  typeof process === "object" && typeof process.hrtime?.bigint === "function"
    ? () => Number(process.hrtime.bigint()) / 1e6
    : () => performance.now();
