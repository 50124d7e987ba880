/**
 * A long-lived sync from stock levels to Ordergroove's `live` flags. It receives stock changes
 * (e.g. from inventory webhooks), remembers what Ordergroove was last told, sends only real
 * changes, coalesces bursts into batches, flushes on a timer and on demand, and reports every
 * failure: items whose request failed stay pending and are retried on the next flush.
 *
 * With a durable outbox (`StockSync.start({ outbox })`, ./outbox.ts), `recordDurably` resolves
 * only once the change is on disk, and a restart replays what was not yet acknowledged by
 * Ordergroove: a crash between a stock change and its PATCH loses nothing. The outbox holds,
 * per product, the latest value Ordergroove has not confirmed (or, after a power cut that lost
 * the unsynced removal of a confirmed entry, that confirmed value), and a value is sent only
 * once it is on disk, so a replay never sends a value older than one already sent.
 */
import type { OrdergrooveClient } from "../client/client.js";
import type { BatchReport, ItemOutcome } from "../client/report.js";
import { type Outbox, type OutboxEntry, openOutbox } from "./outbox.js";
import { bounds, checkStock, desiredLive, type Thresholds } from "./thresholds.js";

export interface StockChange {
  productId: string;
  stock: number;
  /** Overrides the sync's thresholds for this product from now on. */
  thresholds?: Thresholds;
}

export interface SyncFlush {
  /** What was sent: product id → live. */
  sent: Map<string, boolean>;
  report: BatchReport;
  /** Items Ordergroove refused (404 unknown, 400 invalid): dropped, not retried. */
  rejected: ItemOutcome[];
  /** Items whose request failed: kept pending for the next flush. */
  failed: ItemOutcome[];
}

export interface StockSyncOptions {
  client: Pick<OrdergrooveClient, "updateProducts">;
  thresholds: Thresholds;
  /** Per-product thresholds. */
  perProduct?: Record<string, Thresholds>;
  /** What Ordergroove is known to have already (product id → live), so the first change is judged right. */
  known?: Record<string, boolean>;
  /** Flush pending changes this often (default 1000 ms); 0 flushes only on demand or when a batch fills. */
  flushIntervalMs?: number;
  /** Flush as soon as this many changes are pending (default 100, one full batch). */
  maxPending?: number;
  onFlush?: (flush: SyncFlush) => void;
  /** Called for items that failed and will be retried, and for any unexpected error. */
  onError?: (error: Error, items: ItemOutcome[]) => void;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** A durable outbox; give it to `StockSync.start()`, which opens a directory path and replays. */
  outbox?: Outbox;
}

/** What `stop()` left: the last flush, if it ended in time, and what Ordergroove has not confirmed. */
export interface SyncStopped {
  /** The final flush, when it ended within the bound (undefined with nothing to send, or on timeout). */
  flush: SyncFlush | undefined;
  /** Product id → live, not confirmed by Ordergroove. With an outbox they stay in it for the next start. */
  pending: Map<string, boolean>;
  /** True when the bound passed before the final flush ended (its request is abandoned, not awaited). */
  timedOut: boolean;
}

/** stop()'s default bound: well inside an orchestrator's usual 30 s grace period. */
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

function isChange(x: StockChange | Iterable<StockChange>): x is StockChange {
  return typeof (x as StockChange).productId === "string";
}

export class StockSync {
  readonly #told = new Map<string, boolean>();
  readonly #pending = new Map<string, boolean>();
  /** Sent, not yet answered: what Ordergroove will have if the request succeeds. */
  #inflight = new Map<string, boolean>();
  /** Mirror of the outbox's entries: the latest value per product Ordergroove has not confirmed. */
  readonly #durable = new Map<string, boolean>();
  /** recordDurably's outbox writes not yet ended: a flush sends nothing before they are on disk. */
  readonly #writes = new Set<Promise<void>>();
  /** What the outbox holds as far as its writes have ended: the only values a flush may send. */
  readonly #onDisk = new Map<string, boolean>();
  readonly #outbox: Outbox | undefined;
  readonly #thresholds: Thresholds;
  readonly #perProduct = new Map<string, Thresholds>();
  readonly #options: StockSyncOptions;
  #timer: unknown;
  #flushing: Promise<SyncFlush | undefined> = Promise.resolve(undefined);
  /** A flush waiting for the running one: later calls join it (it sends everything pending when it starts). */
  #queued: Promise<SyncFlush | undefined> | undefined;
  #closed = false;
  #replayed = 0;

  constructor(options: StockSyncOptions) {
    bounds(options.thresholds);
    this.#options = options;
    this.#thresholds = options.thresholds;
    for (const [id, t] of Object.entries(options.perProduct ?? {})) {
      bounds(t, `thresholds of ${JSON.stringify(id)}`);
      this.#perProduct.set(id, t);
    }
    for (const [id, live] of Object.entries(options.known ?? {})) this.#told.set(id, live);
    this.#outbox = options.outbox;
  }

  /**
   * A sync with a durable outbox: opens it (a directory path, created if needed, or an Outbox),
   * replays what a previous run left unsent, and resolves once the replay's first flush is done
   * (failed items stay pending and are retried like any other).
   */
  static async start(options: Omit<StockSyncOptions, "outbox"> & { outbox: string | Outbox }): Promise<StockSync> {
    const outbox = typeof options.outbox === "string" ? await openOutbox(options.outbox) : options.outbox;
    const sync = new StockSync({ ...options, outbox });
    const left = await outbox.load();
    sync.#replayed = left.size;
    for (const [id, entry] of left) {
      sync.#durable.set(id, entry.live);
      sync.#onDisk.set(id, entry.live);
      sync.#pending.set(id, entry.live);
    }
    if (left.size) await sync.flush().catch((e) => sync.#options.onError?.(e as Error, []));
    return sync;
  }

  /** Changes a previous run left unsent, replayed by `start()` (0 without an outbox). */
  get replayed(): number {
    return this.#replayed;
  }

  /** Changes in the outbox that Ordergroove has not confirmed yet (0 without an outbox). */
  get durablePending(): number {
    return this.#durable.size;
  }

  /** Changes waiting to be sent. */
  get pending(): ReadonlyMap<string, boolean> {
    return this.#pending;
  }

  /** What Ordergroove was last told (and acknowledged) per product. */
  lastTold(productId: string): boolean | undefined {
    return this.#told.get(productId);
  }

  /** Records one stock change; returns the live value it queued, if any. */
  record(change: StockChange): boolean | undefined {
    if (this.#outbox) {
      throw new Error(
        "StockSync: this sync has a durable outbox; use `await recordDurably(change)`, which resolves once the change is on disk.",
      );
    }
    this.#check(change);
    return this.#decide(change).queued;
  }

  /**
   * Records stock changes and resolves once they are in the durable outbox: acknowledge the
   * change to its source (e.g. answer the webhook) only after this resolves.
   */
  async recordDurably(changes: StockChange | Iterable<StockChange>): Promise<void> {
    if (!this.#outbox)
      throw new Error("StockSync: recordDurably() needs an outbox; create the sync with StockSync.start({ outbox }).");
    const list = isChange(changes) ? [changes] : [...changes];
    // Every change checked before any is recorded: a bad one in the middle changes nothing.
    for (const change of list) this.#check(change);
    const latest = new Map<string, OutboxEntry | null>();
    for (const change of list) {
      const { id, durable } = this.#decide(change);
      if (durable !== undefined) latest.set(id, durable);
    }
    if (latest.size === 0) return;
    const writes = [...latest];
    const written = this.#outbox.write(writes);
    this.#writes.add(written);
    // Registered before anyone else waits on the write, so these run first.
    written.then(
      () => {
        this.#writes.delete(written);
        for (const [id, entry] of writes) {
          if (entry) this.#onDisk.set(id, entry.live);
          else this.#onDisk.delete(id);
        }
      },
      () => {
        this.#writes.delete(written);
        // Not acknowledged, and not to be sent: unless a newer change decided since, the product's
        // latest is what the outbox still holds (sent, since it is on disk), or nothing.
        for (const [id, entry] of writes)
          if ((this.#durable.get(id) ?? null) === (entry?.live ?? null)) this.#fallBackToDisk(id);
      },
    );
    await written;
  }

  /**
   * Decides what one change means: the value queued, if any, and what the outbox must now hold
   * for the product (an entry, null to remove it, undefined to leave it). `change` has passed
   * #check.
   */
  #decide(change: StockChange): { id: string; queued?: boolean; durable?: OutboxEntry | null } {
    if (change.thresholds) this.#perProduct.set(change.productId, change.thresholds);
    const id = change.productId;
    const thresholds = this.#perProduct.get(id) ?? this.#thresholds;
    const want = desiredLive(change.stock, thresholds);
    if (want === undefined) return { id };
    // What Ordergroove has, or will have once the request on its way is answered.
    const expected = this.#inflight.has(id) ? this.#inflight.get(id) : this.#told.get(id);
    if (expected === want) {
      // A burst that went out and came back before a flush: nothing more to tell.
      this.#pending.delete(id);
      if (!this.#durable.has(id)) return { id };
      if (this.#inflight.has(id)) {
        // Not confirmed yet: the outbox keeps it, so a crash now still sends it.
        this.#durable.set(id, want);
        return { id, durable: { live: want } };
      }
      this.#durable.delete(id);
      return { id, durable: null };
    }
    this.#pending.set(id, want);
    if (this.#outbox) this.#durable.set(id, want);
    this.#schedule();
    return { id, queued: want, durable: { live: want } };
  }

  /** Throws, changing nothing, unless `change` can be recorded. */
  #check(change: StockChange): void {
    if (this.#closed) throw new Error("StockSync: record() after close().");
    if (typeof change?.productId !== "string" || change.productId.length === 0) {
      throw new TypeError(`StockSync: productId must be a non-empty string; got ${JSON.stringify(change?.productId)}.`);
    }
    if (change.thresholds) bounds(change.thresholds, `thresholds of ${JSON.stringify(change.productId)}`);
    // Here, not first in #decide: a list's bad stock level threw after earlier changes were queued (issue 34).
    checkStock(change.stock, JSON.stringify(change.productId));
  }

  /** A product's latest value never reached the outbox: what the outbox holds, if anything, is its latest again. */
  #fallBackToDisk(id: string): void {
    const onDisk = this.#onDisk.get(id);
    if (onDisk === undefined) {
      this.#durable.delete(id);
      this.#pending.delete(id);
    } else {
      this.#durable.set(id, onDisk);
      this.#pending.set(id, onDisk);
    }
  }

  /** Records stock changes: every one is checked first, so a bad one records none of them. */
  recordMany(changes: Iterable<StockChange>): void {
    const list = [...changes];
    for (const change of list) this.#check(change);
    for (const change of list) this.record(change);
  }

  /**
   * Stops the timer, makes one last flush and closes the outbox, within `timeoutMs` (default
   * 10 s) whatever Ordergroove does: during an outage a flush retries for many seconds, and an
   * orchestrator's grace period would end in SIGKILL. Resolves with what is still unconfirmed;
   * with an outbox those changes stay in it and the next `start()` sends them. A request still on
   * its way at the bound is abandoned (its answer, if any, is not recorded; the outbox keeps the
   * change, and resending it is harmless: the same `live` value).
   */
  async stop(options: { timeoutMs?: number } = {}): Promise<SyncStopped> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    const final = this.close();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"timeout">((resolve) => {
      timer = setTimeout(() => resolve("timeout"), timeoutMs);
    });
    let flush: SyncFlush | undefined;
    let timedOut = false;
    try {
      const ended = await Promise.race([final, deadline]);
      if (ended === "timeout") {
        timedOut = true;
        // Whatever the abandoned flush does later (e.g. write to the closed outbox) is not an error to report.
        final.catch(() => {});
      } else flush = ended;
    } catch (error) {
      this.#options.onError?.(error as Error, []);
    } finally {
      clearTimeout(timer);
    }
    const pending = new Map([...this.#inflight, ...this.#pending]);
    await this.#outbox?.close();
    return { flush, pending, timedOut };
  }

  /**
   * Sends what is pending now; resolves when it is done. Flushes never overlap, and calls made
   * while one runs share the single flush queued after it: each record past a full batch used
   * to queue another whole retry cycle (issue 25).
   */
  flush(): Promise<SyncFlush | undefined> {
    if (this.#queued) return this.#queued;
    const run = () => {
      this.#queued = undefined;
      return this.#flushOnce();
    };
    const next = this.#flushing.then(run, run);
    this.#queued = next;
    this.#flushing = next;
    return next;
  }

  /** Stops the timer and flushes what is left. */
  async close(): Promise<SyncFlush | undefined> {
    this.#closed = true;
    this.#clearTimer();
    return this.flush();
  }

  #schedule(): void {
    const max = this.#options.maxPending ?? 100;
    if (this.#pending.size >= max) {
      this.#clearTimer();
      void this.flush().catch((e) => this.#options.onError?.(e as Error, []));
      return;
    }
    const interval = this.#options.flushIntervalMs ?? 1000;
    if (interval > 0 && this.#timer === undefined) {
      const set = this.#options.setTimer ?? ((fn, ms) => setTimeout(fn, ms).unref());
      this.#timer = set(() => {
        this.#timer = undefined;
        void this.flush().catch((e) => this.#options.onError?.(e as Error, []));
      }, interval);
    }
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) {
      (this.#options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(this.#timer);
      this.#timer = undefined;
    }
  }

  async #flushOnce(): Promise<SyncFlush | undefined> {
    if (this.#pending.size === 0) return undefined;
    const sent = new Map(this.#pending);
    this.#pending.clear();
    this.#inflight = sent;
    let report: BatchReport;
    try {
      // Send only what is on disk: a value sent before its write ended, then lost in a crash,
      // would let the replay send the product's older entry after it. Every value taken above
      // had its write issued already (recordDurably writes as it records), so these cover it.
      if (this.#writes.size) await Promise.allSettled([...this.#writes]);
      // A value whose write failed is not on disk: it is not sent (its caller was told so).
      if (this.#outbox) for (const [id, live] of sent) if (this.#onDisk.get(id) !== live) sent.delete(id);
      if (sent.size === 0) return undefined;
      report = await this.#options.client.updateProducts([...sent].map(([product_id, live]) => ({ product_id, live })));
    } catch (error) {
      // Nothing is lost: put back what was taken, unless newer changes arrived meanwhile.
      for (const [id, live] of sent) if (!this.#pending.has(id)) this.#pending.set(id, live);
      throw error;
    } finally {
      this.#inflight = new Map();
    }
    // Confirmed or refused for good: drop the outbox entry, unless a newer change replaced it.
    const settled: Array<[string, null]> = [];
    const rejected: ItemOutcome[] = [];
    const failed: ItemOutcome[] = [];
    for (const item of report.items) {
      const id = item.productId!;
      const live = sent.get(id)!;
      if (item.outcome === "failed") {
        failed.push(item);
        // Keep it for the next flush, unless a newer change was recorded meanwhile.
        if (!this.#pending.has(id)) this.#pending.set(id, live);
        continue;
      }
      if (item.outcome === "updated") this.#told.set(id, live);
      else rejected.push(item);
      if (this.#durable.get(id) === live && !this.#pending.has(id)) {
        this.#durable.delete(id);
        settled.push([id, null]);
      }
    }
    // Not synced (no fsync of its own; bench figure 10). They reach the OS, so killing the
    // process keeps them; an OS crash or power cut may lose them. Then a product's entry is
    // either the value Ordergroove just confirmed, which the replay re-sends (harmless), or a
    // newer change recorded after, on disk before it was sent, which the replay sends as it
    // should: never a value older than one already sent.
    if (this.#outbox && settled.length) {
      await this.#outbox.write(settled, { sync: false });
      for (const [id] of settled) if (this.#durable.get(id) === undefined) this.#onDisk.delete(id);
    }
    const flush = { sent, report, rejected, failed };
    this.#options.onFlush?.(flush);
    if (failed.length > 0) {
      this.#options.onError?.(failed[0]!.error ?? new Error(failed[0]!.reason), failed);
      if (!this.#closed) this.#schedule();
    }
    return flush;
  }
}
