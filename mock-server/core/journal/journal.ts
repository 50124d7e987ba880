/**
 * What the fake received and answered, newest last, bounded (oldest entries fall off).
 * Secrets are masked before an entry is stored (./masking.ts, by ./entries.ts): nothing secret
 * is ever kept, so nothing secret can be read back.
 */
import type { Principal } from "../auth/authenticate.js";
import { MAX_BODY_DEPTH, nestingDepth } from "../body-depth.js";
import { TextArena } from "./text-arena.js";

export interface JournalEntry {
  /** 1, 2, 3... in arrival order; keeps counting when old entries fall off. */
  seq: number;
  /** ISO time by the fake's clock. */
  at: string;
  method: string;
  path: string;
  /** Request headers, secrets masked. */
  headers: Record<string, string>;
  /** The request body as received: parsed where it is JSON (read by the fake or refused before), else the text (cut at 4 KiB). */
  body: unknown;
  /** Who the request authenticated as, or null when it was refused or not checked. */
  principal: Principal | null;
  /** Why the credentials were refused (the fake's explanation; it never holds a secret). */
  authRefusal?: string;
  /** The fake's explanation of another answer (a path without its trailing slash), also sent as `x-og-mock-hint`. */
  hint?: string;
  /** Item fields the spec does not know, ignored (not applied) as Django REST framework does. */
  ignoredFields?: string[];
  /** What the fake answered. `dropped` when a fault dropped the connection. */
  response: { status: number; body: unknown } | { dropped: true };
  /** Why the answer was what it was when a fault or throttle decided it. */
  fault?: string;
  /** Who answered when og-mock proxies: `real` (the upstream), `fake`, `proxy` (og-mock's refusal or transport error). */
  source?: "real" | "fake" | "proxy";
  /** How the upstream's answer breaks the spec, when og-mock proxies: where (a JSON pointer) and how. */
  violations?: Array<{ pointer: string; message: string }>;
  /** With og-mock --shadow: how the fake's answer to the same request differed, and the setting that would explain it. */
  differences?: Array<{ pointer: string; message: string; real: unknown; fake: unknown; setting?: string }>;
  /** Milliseconds the fake took to decide the answer, plus any injected latency. */
  ms?: number;
}

/** Told of every entry as it is recorded, and of the journal being emptied (e.g. a live view). */
export interface JournalListener {
  entry(entry: JournalEntry): void;
  cleared(): void;
}

const MAX_TEXT = 4096;
/** Bodies longer than this (UTF-16 units) are journaled as their first MAX_TEXT: see keepsParsed. */
const MAX_KEPT = 128 * 1024;

/**
 * The JSON texts an entry was recorded from, kept instead of their parsed forms and parsed when
 * the entry is read. Why: a journal holds up to `limit` entries, so whatever an entry keeps
 * outlives the request and is moved to the old generation by the GC; a 100-item batch kept
 * parsed (its items and its 100 results) measured as most of the fake's cost per request, and
 * kept as strings still a large share of it. The journal keeps them as bytes in a TextArena.
 */
export interface JournalTexts {
  /**
   * The request body's text, kept in place of `entry.body`: read back as its JSON.parse, or when
   * it is not JSON or nests deeper than a reader could serialise, as the text (cut at 4 KiB). The
   * nesting is measured when the entry is read, not per request.
   */
  body?: string;
  /** The answer's JSON text, kept in place of `entry.response.body` (which must be its JSON.parse). */
  responseBody?: string;
}

/** Where an entry's texts are: [body start, body bytes, answer start, answer bytes] per slot; -1 = none. */
const SPAN = 4;

/** The entry as recorded: its kept texts parsed back into the places they were taken from. */
function build(entry: JournalEntry, texts: JournalTexts | undefined): JournalEntry {
  if (texts === undefined) return entry;
  const out: JournalEntry = { ...entry };
  if (texts.body !== undefined) out.body = parsedBody(texts.body);
  if (texts.responseBody !== undefined && "status" in entry.response)
    out.response = { status: entry.response.status, body: JSON.parse(texts.responseBody) };
  return out;
}

function parsedBody(text: string): unknown {
  if (nestingDepth(text) > MAX_BODY_DEPTH) return cut(text);
  // A body refused before the fake read it as JSON (a throttled or unauthenticated batch) is kept
  // as received and shown parsed if it is JSON: the assertions then see it was sent (issue 34).
  try {
    return JSON.parse(text);
  } catch {
    return cut(text);
  }
}

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
}

/** The journal's default byte budget: what its kept texts may take besides the entry count. */
export const DEFAULT_JOURNAL_MAX_BYTES = 32 * 1024 * 1024;

/**
 * Entries live in a ring addressed by logical index (`index % capacity`); the capacity doubles up
 * to `limit` as the journal grows (a large `limit` costs nothing until the journal fills), and the
 * oldest entries fall off when the count reaches `limit` or the texts pass the byte budget.
 */
export class Journal {
  #entries: Array<JournalEntry | undefined> = [];
  /** Logical index of the oldest entry held, and of the next one. */
  #first = 0;
  #next = 0;
  #seq = 0;
  #dropped = 0;
  #listeners = new Set<JournalListener>();
  /** Texts by slot (SPAN numbers each), in #arena. */
  #spans = new Float64Array(0);
  readonly #arena: TextArena | undefined;
  /** Texts the arena cannot carry exactly (see TextArena.put), kept as strings; rare. */
  #kept = new Map<number, JournalTexts>();
  #keptBytes = 0;

  /**
   * @param limit entries kept at most
   * @param maxBytes bytes of kept texts (request and answer bodies) at most: without it, a
   *   thousand answers of a megabyte each made a full journal a gigabyte (issue 25)
   */
  constructor(
    readonly limit: number,
    readonly maxBytes = DEFAULT_JOURNAL_MAX_BYTES,
  ) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`Journal limit must be a whole number ≥ 0; got ${limit}.`);
    if (!Number.isInteger(maxBytes) || maxBytes < 1)
      throw new RangeError(`Journal byte budget must be a whole number ≥ 1; got ${maxBytes}.`);
    this.#arena = limit > 0 ? new TextArena() : undefined;
  }

  /**
   * Records an entry. With `texts`, the entry keeps those JSON texts in place of their parsed
   * forms (the caller leaves `body` / `response.body` as null): read back, it equals the entry
   * with the parsed forms in place.
   */
  record(entry: Omit<JournalEntry, "seq">, texts?: JournalTexts): void {
    this.recordOwn({ seq: 0, ...entry }, texts);
  }

  /**
   * `record` for an entry made for the journal alone, its `seq` first (0): the journal numbers
   * it in place and keeps it, rather than copying it (the copy was a few percent of a 1-item
   * batch's cost). The caller must not touch it afterwards.
   */
  recordOwn(entry: JournalEntry, texts?: JournalTexts): void {
    const stored = entry;
    stored.seq = ++this.#seq;
    if (this.#listeners.size) {
      const full = build(stored, texts);
      this.#tell((l) => l.entry(full));
    }
    const arena = this.#arena;
    if (arena === undefined) {
      this.#dropped++;
      return;
    }
    if (this.size >= this.limit) this.#dropOldest(arena);
    if (this.size >= this.#entries.length) this.#grow();
    const slot = this.#next % this.#entries.length;
    this.#entries[slot] = stored;
    this.#next++;
    this.#keep(arena, slot, texts);
    // The newest entry stays even alone over the budget: the journal always shows the last request.
    while (arena.held + this.#keptBytes > this.maxBytes && this.size > 1) this.#dropOldest(arena);
  }

  /** Entries that fell off (over the count or the byte budget) since the start or the last clear. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes the kept texts take (the byte budget's measure). */
  get bytes(): number {
    return (this.#arena?.held ?? 0) + this.#keptBytes;
  }

  #dropOldest(arena: TextArena): void {
    const slot = this.#first % this.#entries.length;
    const spans = this.#spans;
    const at = slot * SPAN;
    const end = Math.max(spans[at]! + spans[at + 1]!, spans[at + 2]! + spans[at + 3]!);
    if (end >= 0) arena.release(end);
    this.#forgetKept(slot);
    spans.fill(-1, at, at + SPAN);
    this.#entries[slot] = undefined;
    this.#first++;
    this.#dropped++;
  }

  #forgetKept(slot: number): void {
    const kept = this.#kept.get(slot);
    if (kept === undefined) return;
    this.#keptBytes -= 2 * ((kept.body?.length ?? 0) + (kept.responseBody?.length ?? 0));
    this.#kept.delete(slot);
  }

  /** Doubles the ring (up to `limit`), moving each entry, its spans and kept texts to its new slot. */
  #grow(): void {
    const oldCap = this.#entries.length;
    const cap = Math.min(this.limit, Math.max(64, oldCap * 2));
    const entries = new Array<JournalEntry | undefined>(cap);
    const spans = new Float64Array(cap * SPAN).fill(-1);
    const kept = new Map<number, JournalTexts>();
    for (let i = this.#first; i < this.#next; i++) {
      const from = i % oldCap;
      const to = i % cap;
      entries[to] = this.#entries[from];
      spans.set(this.#spans.subarray(from * SPAN, from * SPAN + SPAN), to * SPAN);
      const k = this.#kept.get(from);
      if (k) kept.set(to, k);
    }
    this.#entries = entries;
    this.#spans = spans;
    this.#kept = kept;
  }

  #keep(arena: TextArena, slot: number, texts: JournalTexts | undefined): void {
    const spans = this.#spans;
    const at = slot * SPAN;
    spans.fill(-1, at, at + SPAN);
    if (texts === undefined) return;
    let kept: JournalTexts | undefined;
    if (texts.body !== undefined) {
      const start = arena.put(texts.body);
      if (start < 0) kept = { body: texts.body };
      else {
        spans[at] = start;
        spans[at + 1] = arena.end - start;
      }
    }
    if (texts.responseBody !== undefined) {
      const start = arena.put(texts.responseBody);
      if (start < 0) (kept ??= {}).responseBody = texts.responseBody;
      else {
        spans[at + 2] = start;
        spans[at + 3] = arena.end - start;
      }
    }
    if (kept) {
      this.#kept.set(slot, kept);
      this.#keptBytes += 2 * ((kept.body?.length ?? 0) + (kept.responseBody?.length ?? 0));
    }
  }

  /** The texts kept for a slot, read back from the arena. */
  #texts(slot: number): JournalTexts | undefined {
    const spans = this.#spans;
    const at = slot * SPAN;
    const kept = this.#kept.get(slot);
    if (spans[at]! < 0 && spans[at + 2]! < 0) return kept;
    const texts: JournalTexts = { ...kept };
    if (spans[at]! >= 0) texts.body = this.#arena!.get(spans[at]!, spans[at + 1]!);
    if (spans[at + 2]! >= 0) texts.responseBody = this.#arena!.get(spans[at + 2]!, spans[at + 3]!);
    return texts;
  }

  /**
   * Entries oldest first; `since` keeps those with seq > since; `max` at most that many (a live
   * stream's backlog is read a page at a time, so a reader never holds the whole journal parsed).
   */
  entries(since = 0, max = Infinity): JournalEntry[] {
    // As before the ring kept texts: anything but a positive number means "all" (NaN included).
    const after = since > 0 ? since : 0;
    const out: JournalEntry[] = [];
    const cap = this.#entries.length;
    if (this.size === 0) return out;
    // Seqs are consecutive in the ring: start at the first entry after `since` without a walk.
    const firstSeq = this.#entries[this.#first % cap]!.seq;
    const from = this.#first + Math.max(0, Math.min(this.size, after - firstSeq + 1));
    for (let i = from; i < this.#next && out.length < max; i++) {
      const slot = i % cap;
      const entry = this.#entries[slot]!;
      if (entry.seq > after) out.push(build(entry, this.#texts(slot)));
    }
    return out;
  }

  get size(): number {
    return this.#next - this.#first;
  }

  /** Total requests recorded since the start or the last clear, including those that fell off. */
  get total(): number {
    return this.#seq;
  }

  clear(): void {
    this.#entries = [];
    this.#first = 0;
    this.#next = 0;
    this.#seq = 0;
    this.#dropped = 0;
    this.#spans = new Float64Array(0);
    this.#kept.clear();
    this.#keptBytes = 0;
    this.#arena?.clear();
    if (this.#listeners.size) this.#tell((l) => l.cleared());
  }

  /** Follows the journal from now on; returns the function that stops following. */
  subscribe(listener: JournalListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #tell(call: (listener: JournalListener) => void): void {
    // A listener's failure must not fail the request being recorded.
    for (const listener of this.#listeners) {
      try {
        call(listener);
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }
}

/** The body as stored in the journal: parsed JSON if it parses, else the text, cut short. */
export function journalBody(text: string | undefined, parsed: unknown): unknown {
  if (parsed !== undefined && keepsParsed(text, parsed) && nestingDepth(text!) <= MAX_BODY_DEPTH) return parsed;
  if (text === undefined || text.length === 0) return null;
  return cut(text);
}

/**
 * True when the journal keeps a body's text, to show it parsed when read (if it is JSON), false
 * when it keeps the text cut short. Kept whole up to MAX_KEPT: a batch of 100 items with every
 * name at its 1024-character maximum fits (a valid 75 KB batch was cut at 4 KiB, and a throttled
 * batch kept as text, so the assertions said "never sent": issue 34). Past it, an entry would not
 * stay small: readers of the journal hold a page of entries parsed at once (a live stream's
 * backlog), and megabyte bodies took a fake with idle readers far past the memory bound of issue
 * 25's exhaustion test. Nesting is bounded when the entry is read (see JournalTexts.body).
 */
export function keepsParsed(text: string | undefined, _parsed?: unknown): boolean {
  return text !== undefined && text.length > 0 && text.length <= MAX_KEPT;
}
