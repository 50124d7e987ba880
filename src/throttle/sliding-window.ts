/**
 * An exact sliding-window limiter: at most `limit` events in any window of `windowMs`.
 * The fake uses it to throttle like Ordergroove (600 requests/minute per merchant); the client
 * uses the same arithmetic to stay under that limit, so both agree on what "over" means.
 * Time is always passed in, never read, so tests drive it with a manual clock.
 */
export interface RateLimit {
  /** Events allowed in any window. */
  limit: number;
  /** Window length in milliseconds (60,000 for "per minute"). */
  windowMs: number;
}

export class SlidingWindow {
  // A ring of the timestamps of the last `limit` accepted events: O(limit) memory, O(1) per event.
  // Typed arrays: zeroed by allocation, where `new Array(n).fill(0)` of the per-IP limit's 6,000
  // slots measured ~3 ms on og-mock's first request (bench figure 4).
  readonly #stamps: Float64Array;
  readonly #generation: Float64Array;
  #generations = 0;
  #next = 0;
  #count = 0;

  constructor(readonly rate: RateLimit) {
    if (!Number.isInteger(rate.limit) || rate.limit < 1) {
      throw new RangeError(`Rate limit must be a whole number of at least 1; got ${rate.limit}.`);
    }
    if (!(rate.windowMs > 0)) throw new RangeError(`Rate window must be positive; got ${rate.windowMs} ms.`);
    this.#stamps = new Float64Array(rate.limit);
    this.#generation = new Float64Array(rate.limit);
  }

  /** Milliseconds to wait, from `now`, before one more event fits; 0 when it fits now. */
  waitMs(now: number): number {
    if (this.#count < this.rate.limit) return 0;
    // The oldest of the last `limit` events sits at #next; one more fits once it leaves the window.
    const oldest = this.#stamps[this.#next]!;
    return Math.max(0, oldest + this.rate.windowMs - now);
  }

  /** Records an event at `now` if it fits; returns the wait in ms (0 = recorded). */
  tryAcquire(now: number): number {
    return this.reserve(now).waitMs;
  }

  /**
   * Like tryAcquire, but also returns the slot the event took, so that `settle` can move its
   * time later. A client does not know when its request reached the server, only that it was
   * between sending and the answer: settling the slot at the answer keeps the client's window
   * from ever freeing a place before the server's does.
   */
  reserve(now: number): { waitMs: number; slot?: number } {
    const wait = this.waitMs(now);
    if (wait > 0) return { waitMs: wait };
    const slot = this.#next;
    this.#stamps[slot] = now;
    this.#generation[slot] = ++this.#generations;
    this.#next = (this.#next + 1) % this.rate.limit;
    if (this.#count < this.rate.limit) this.#count++;
    return { waitMs: 0, slot: slot * 2 ** 26 + (this.#generations % 2 ** 26) };
  }

  /** Moves a reserved event to `now` (if the slot was not reused since). */
  settle(handle: number, now: number): void {
    const slot = Math.floor(handle / 2 ** 26);
    if (this.#generation[slot]! % 2 ** 26 !== handle % 2 ** 26) return;
    if (now > this.#stamps[slot]!) this.#stamps[slot] = now;
  }

  reset(): void {
    this.#count = 0;
    this.#next = 0;
  }
}
