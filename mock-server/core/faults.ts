/**
 * Faults on demand, deterministic: nothing here is random, so a test that injects a fault gets
 * exactly that fault, every run.
 */
export interface ItemFault {
  /** A product id, or a pattern where `*` matches any run of characters (e.g. `broken-*`). */
  match: string;
  /** The per-item status to answer for matching items; they are not applied. */
  status: 400 | 404;
}

export interface RequestFault {
  /** Whole-request status to answer, e.g. 429, 500, 503. */
  status: number;
  /** How many of the next API requests get it (default 1). */
  count?: number;
  /** For 429 (and 503), the Retry-After header in seconds (default 1 for 429). */
  retryAfterSeconds?: number;
}

export interface FaultSettings {
  /** Per-item statuses forced by product id or pattern. */
  items: ItemFault[];
  /** Whole-request failures for the next requests, used up in order. */
  next: RequestFault[];
  /** Added to every API answer, in milliseconds. */
  latencyMs: number;
  /** How many of the next API requests have their connection dropped without an answer. */
  dropNext: number;
}

export function emptyFaults(): FaultSettings {
  return { items: [], next: [], latencyMs: 0, dropNext: 0 };
}

export class FaultError extends Error {
  override name = "FaultError";
}

/** Checks fault settings from outside (admin API, CLI flags) and returns a clean copy. */
export function parseFaults(input: unknown): FaultSettings {
  const where = "Failed to set faults";
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new FaultError(`${where}: expected an object with items, next, latencyMs and/or dropNext.`);
  }
  const raw = input as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((k) => !["items", "next", "latencyMs", "dropNext"].includes(k));
  if (unknown.length) throw new FaultError(`${where}: unknown field(s) ${unknown.join(", ")}.`);
  const out = emptyFaults();
  if (raw.items !== undefined) {
    if (!Array.isArray(raw.items)) throw new FaultError(`${where}: items must be a list of {match, status}.`);
    out.items = raw.items.map((f, i) => {
      const item = f as Record<string, unknown>;
      if (typeof item?.match !== "string" || item.match.length === 0) {
        throw new FaultError(`${where}: items[${i}].match must be a non-empty string.`);
      }
      if (item.status !== 400 && item.status !== 404) {
        throw new FaultError(
          `${where}: items[${i}].status must be 400 or 404 (per-item statuses Ordergroove answers).`,
        );
      }
      return { match: item.match, status: item.status };
    });
  }
  if (raw.next !== undefined) {
    if (!Array.isArray(raw.next)) throw new FaultError(`${where}: next must be a list of {status, count}.`);
    out.next = raw.next.map((f, i) => {
      const item = f as Record<string, unknown>;
      const status = item?.status;
      if (typeof status !== "number" || !Number.isInteger(status) || status < 400 || status > 599) {
        throw new FaultError(`${where}: next[${i}].status must be an error status from 400 to 599.`);
      }
      const fault: RequestFault = { status, count: wholeNumber(item.count ?? 1, `next[${i}].count`, 1) };
      if (item.retryAfterSeconds !== undefined) {
        fault.retryAfterSeconds = wholeNumber(item.retryAfterSeconds, `next[${i}].retryAfterSeconds`, 0);
      }
      return fault;
    });
  }
  if (raw.latencyMs !== undefined) out.latencyMs = wholeNumber(raw.latencyMs, "latencyMs", 0, 60_000);
  if (raw.dropNext !== undefined) out.dropNext = wholeNumber(raw.dropNext, "dropNext", 0);
  return out;
}

function wholeNumber(value: unknown, name: string, min: number, max = 1_000_000): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new FaultError(`Failed to set faults: ${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** Live fault state of one fake: the rules plus what has been used up. */
export class Faults {
  #settings: FaultSettings = emptyFaults();
  #patterns: Array<{ test: (id: string) => boolean; status: 400 | 404 }> = [];

  get settings(): FaultSettings {
    return structuredClone(this.#settings);
  }

  set(settings: unknown): void {
    this.#settings = parseFaults(settings);
    this.#patterns = this.#settings.items.map((f) => ({ test: matcher(f.match), status: f.status }));
  }

  /** Adds to the current settings rather than replacing them. */
  failNext(status: number, count = 1, retryAfterSeconds?: number): void {
    const fault: RequestFault = { status, count };
    if (retryAfterSeconds !== undefined) fault.retryAfterSeconds = retryAfterSeconds;
    this.set({ ...this.#settings, next: [...this.#settings.next, fault] });
  }

  forceItemStatus(match: string, status: 400 | 404): void {
    this.set({ ...this.#settings, items: [...this.#settings.items, { match, status }] });
  }

  setLatency(ms: number): void {
    this.set({ ...this.#settings, latencyMs: ms });
  }

  dropNext(count = 1): void {
    this.set({ ...this.#settings, dropNext: this.#settings.dropNext + count });
  }

  clear(): void {
    this.set(emptyFaults());
  }

  get latencyMs(): number {
    return this.#settings.latencyMs;
  }

  /** Uses up one "drop" if any is pending. */
  takeDrop(): boolean {
    if (this.#settings.dropNext <= 0) return false;
    this.#settings.dropNext--;
    return true;
  }

  /** Uses up one whole-request failure if any is pending. */
  takeRequestFault(): RequestFault | undefined {
    const head = this.#settings.next[0];
    if (!head) return undefined;
    const remaining = (head.count ?? 1) - 1;
    if (remaining <= 0) this.#settings.next.shift();
    else head.count = remaining;
    return head;
  }

  itemStatus(productId: string): 400 | 404 | undefined {
    for (const p of this.#patterns) if (p.test(productId)) return p.status;
    return undefined;
  }
}

function matcher(pattern: string): (id: string) => boolean {
  if (!pattern.includes("*")) return (id) => id === pattern;
  const re = new RegExp(`^${pattern.split("*").map(escapeRegExp).join(".*")}$`, "s");
  return (id) => re.test(id);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
