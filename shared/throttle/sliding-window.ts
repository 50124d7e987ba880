/**
 * A sliding-window limiter: at most `limit` events in any window of `windowMs`.
 * The fake uses it to throttle like Ordergroove (600 requests/minute per merchant, 6,000 per
 * client address); the client uses the same arithmetic to stay under that limit, so both agree
 * on what "over" means. Time is always passed in, never read, so tests drive it with a manual clock.
 */
export interface RateLimit {
  /** Events allowed in any window, from 1 to MAX_RATE_LIMIT. */
  limit: number;
  /** Window length in milliseconds (60,000 for "per minute"). */
  windowMs: number;
}

/**
 * The one maximum of every limit the kit takes (throttle, per-IP limit, the client's rate), as
 * the merchants file and both specs state it. Not a memory bound (the window's memory does not
 * depend on the limit, see below): a limit above it is a typo or a test of the fake itself.
 */
export const MAX_RATE_LIMIT = 1_000_000;

/**
 * Distinct event times a window remembers. Why a cap: a window used to keep one timestamp per
 * allowed event (a Float64Array(limit)), so `limit: 1e9` reserved gigabytes per client address.
 * Now events at the same millisecond share one entry (a count), and past this many distinct times
 * within one window the newest entry takes the event too, moved to its time: an event then counts
 * as if it came a little later, which can only refuse earlier, never let one more through. Exact
 * whenever a window holds at most this many distinct event times: 65,536 covers the per-IP
 * default (6,000 a minute) with room to spare, at 1.5 MB for a window that fills it (three
 * Float64Arrays; a window only grows as events arrive).
 */
const MAX_ENTRIES = 65_536;
const FIRST_CAPACITY = 16;

export class SlidingWindow {
  // A ring of entries, oldest first: when (ms), how many events, and a serial number so that
  // `settle` finds its entry. Grown by doubling up to MAX_ENTRIES, so an idle or slow client
  // address costs a few hundred bytes whatever the limit.
  #stamps: Float64Array;
  #counts: Float64Array;
  #serials: Float64Array;
  #head = 0;
  #size = 0;
  #events = 0;
  #serial = 0;

  constructor(readonly rate: RateLimit) {
    if (!Number.isInteger(rate.limit) || rate.limit < 1 || rate.limit > MAX_RATE_LIMIT) {
      throw new RangeError(`Rate limit must be a whole number from 1 to ${MAX_RATE_LIMIT}; got ${rate.limit}.`);
    }
    if (!(rate.windowMs > 0)) throw new RangeError(`Rate window must be positive; got ${rate.windowMs} ms.`);
    const capacity = Math.min(FIRST_CAPACITY, rate.limit);
    this.#stamps = new Float64Array(capacity);
    this.#counts = new Float64Array(capacity);
    this.#serials = new Float64Array(capacity);
  }

  /** Milliseconds to wait, from `now`, before one more event fits; 0 when it fits now. */
  waitMs(now: number): number {
    let need = this.#events - this.rate.limit + 1;
    if (need <= 0) return 0;
    // The oldest `need` events must leave the window; the latest of them says when.
    let latest = -Infinity;
    for (let k = 0; k < this.#size && need > 0; k++) {
      const i = this.#at(k);
      latest = Math.max(latest, this.#stamps[i]!);
      need -= this.#counts[i]!;
    }
    return Math.max(0, latest + this.rate.windowMs - now);
  }

  /** Records an event at `now` if it fits; returns the wait in ms (0 = recorded). */
  tryAcquire(now: number): number {
    return this.reserve(now).waitMs;
  }

  /**
   * Like tryAcquire, but also returns a handle of the event, so that `settle` can move its time
   * later. A client does not know when its request reached the server, only that it was between
   * sending and the answer: settling at the answer keeps the client's window from ever freeing a
   * place before the server's does.
   */
  reserve(now: number): { waitMs: number; slot?: number } {
    const wait = this.waitMs(now);
    if (wait > 0) return { waitMs: wait };
    this.#events++;
    this.#forgetOld();
    const newest = this.#size > 0 ? this.#at(this.#size - 1) : -1;
    if (newest >= 0 && this.#stamps[newest] === now) {
      this.#counts[newest]!++;
      return { waitMs: 0, slot: this.#serials[newest]! };
    }
    if (this.#size === this.#stamps.length && !this.#grow()) {
      // Full: the newest entry takes this event, at the later time (see MAX_ENTRIES).
      this.#stamps[newest] = Math.max(this.#stamps[newest]!, now);
      this.#counts[newest]!++;
      return { waitMs: 0, slot: this.#serials[newest]! };
    }
    const i = this.#at(this.#size++);
    this.#stamps[i] = now;
    this.#counts[i] = 1;
    this.#serials[i] = ++this.#serial;
    return { waitMs: 0, slot: this.#serial };
  }

  /** Moves a reserved event (and any sharing its entry) to `now`, if it is still in the window. */
  settle(handle: number, now: number): void {
    // Serial numbers grow from the oldest entry to the newest: a binary search finds the entry.
    let lo = 0;
    let hi = this.#size - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const i = this.#at(mid);
      const serial = this.#serials[i]!;
      if (serial === handle) {
        if (now > this.#stamps[i]!) this.#stamps[i] = now;
        return;
      }
      if (serial < handle) lo = mid + 1;
      else hi = mid - 1;
    }
  }

  reset(): void {
    this.#head = 0;
    this.#size = 0;
    this.#events = 0;
  }

  #at(k: number): number {
    return (this.#head + k) % this.#stamps.length;
  }

  /**
   * Forgets the oldest entries that no longer matter: those older than the last `limit` events
   * (counting the one being added). Not by time: an event whose window has passed may still be
   * settled later (its answer was slow), and then counts again from its answer's time.
   */
  #forgetOld(): void {
    while (this.#size > 0 && this.#events - this.#counts[this.#head]! >= this.rate.limit) {
      this.#events -= this.#counts[this.#head]!;
      this.#head = (this.#head + 1) % this.#stamps.length;
      this.#size--;
    }
  }

  /** Doubles the ring (oldest entry first again); false at its cap. */
  #grow(): boolean {
    const capacity = Math.min(this.#stamps.length * 2, MAX_ENTRIES, this.rate.limit);
    if (capacity <= this.#stamps.length) return false;
    const stamps = new Float64Array(capacity);
    const counts = new Float64Array(capacity);
    const serials = new Float64Array(capacity);
    for (let k = 0; k < this.#size; k++) {
      const i = this.#at(k);
      stamps[k] = this.#stamps[i]!;
      counts[k] = this.#counts[i]!;
      serials[k] = this.#serials[i]!;
    }
    [this.#stamps, this.#counts, this.#serials, this.#head] = [stamps, counts, serials, 0];
    return true;
  }
}
