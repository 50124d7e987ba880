/**
 * Texts kept first in, first out as UTF-8 bytes in one growing ring buffer outside the JS heap:
 * the journal's store for the request and answer texts of its entries.
 *
 * Why: a journal keeps its last `limit` requests, so whatever it holds outlives the request, and
 * V8 copies it out of the young generation and then collects it from the old one. Kept as JS
 * strings, the two texts of a 100-item batch were a large share of the fake's CPU per request
 * (bench figure 2, docs/performance.md). Bytes written into a buffer the GC never scans cost a
 * copy each way and nothing in between.
 *
 * Positions are logical byte offsets that only grow (a double counts exactly to 2^53 bytes: 6
 * years of a 45 MB/s journal); a position's byte lives at `position % capacity`. The caller
 * releases what it no longer needs, oldest first; the buffer doubles when a text does not fit
 * beside what is still held, so a text is never overwritten while it is held.
 */
/** ES2024's String.prototype.isWellFormed, which Node 20 has (the project's lib is ES2023). */
type WellFormed = { isWellFormed(): boolean };

export class TextArena {
  #bytes: Buffer;
  /** Logical position of the next byte written. */
  #head = 0;
  /** Logical position of the oldest byte still held. */
  #tail = 0;

  constructor(private readonly initialBytes = 64 * 1024) {
    this.#bytes = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** Bytes the buffer holds room for (it grows, see put). */
  get capacity(): number {
    return this.#bytes.length;
  }

  /** Bytes of text held (written and not yet released): what a journal's byte budget counts. */
  get held(): number {
    return this.#head - this.#tail;
  }

  /** The end of everything written so far: the position to release up to. */
  get end(): number {
    return this.#head;
  }

  /**
   * Keeps a text; returns its position, or -1 for a text UTF-8 cannot carry exactly (a lone
   * surrogate, which it would replace): the caller keeps such a text as it is. Its byte length is
   * `end` after the call minus the position.
   */
  put(text: string): number {
    if (!(text as unknown as WellFormed).isWellFormed()) return -1;
    const start = this.#head;
    let capacity = this.#bytes.length;
    // UTF-8 needs at most 3 bytes per UTF-16 unit; measured exactly only when that bound does not fit.
    let room = text.length * 3;
    if (start - this.#tail + room > capacity) {
      room = Buffer.byteLength(text, "utf8");
      if (start - this.#tail + room > capacity) capacity = this.#grow(start - this.#tail + room);
    }
    const at = start % capacity;
    if (at + room <= capacity) this.#head = start + this.#bytes.write(text, at, "utf8");
    else {
      // Across the end of the ring: encoded apart, then copied in two parts.
      const encoded = Buffer.from(text, "utf8");
      const first = Math.min(encoded.length, capacity - at);
      encoded.copy(this.#bytes, at, 0, first);
      encoded.copy(this.#bytes, 0, first);
      this.#head = start + encoded.length;
    }
    return start;
  }

  /** The text of `length` bytes at `start`; it must still be held. */
  get(start: number, length: number): string {
    const capacity = this.#bytes.length;
    if (start < this.#tail || start + length > this.#head)
      throw new RangeError(`TextArena: bytes ${start}-${start + length} are no longer held.`);
    const at = start % capacity;
    if (at + length <= capacity) return this.#bytes.toString("utf8", at, at + length);
    return Buffer.concat([this.#bytes.subarray(at), this.#bytes.subarray(0, length - (capacity - at))]).toString(
      "utf8",
    );
  }

  /** Lets go of everything before `position`. */
  release(position: number): void {
    if (position > this.#tail) this.#tail = Math.min(position, this.#head);
  }

  /** Lets go of everything and returns to the first size. */
  clear(): void {
    this.#head = 0;
    this.#tail = 0;
    if (this.#bytes.length !== this.initialBytes) this.#bytes = Buffer.allocUnsafeSlow(this.initialBytes);
  }

  /** Doubles the buffer until `needed` bytes fit and moves what is held; returns the new capacity. */
  #grow(needed: number): number {
    const old = this.#bytes;
    let capacity = old.length * 2;
    while (capacity < needed) capacity *= 2;
    const bytes = Buffer.allocUnsafeSlow(capacity);
    // Piece by piece: a piece ends where either ring wraps.
    for (let position = this.#tail; position < this.#head;) {
      const from = position % old.length;
      const to = position % capacity;
      const length = Math.min(this.#head - position, old.length - from, capacity - to);
      old.copy(bytes, to, from, from + length);
      position += length;
    }
    this.#bytes = bytes;
    return capacity;
  }
}
