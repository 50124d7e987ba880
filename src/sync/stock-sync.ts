/**
 * A long-lived sync from stock levels to Ordergroove's `live` flags. It receives stock changes
 * (e.g. from inventory webhooks), remembers what Ordergroove was last told, sends only real
 * changes, coalesces bursts into batches, flushes on a timer and on demand, and reports every
 * failure: items whose request failed stay pending and are retried on the next flush.
 */
import type { OrdergrooveClient } from "../client/client.js";
import type { BatchReport, ItemOutcome } from "../client/report.js";
import { bounds, desiredLive, type Thresholds } from "./thresholds.js";

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
}

export class StockSync {
  readonly #told = new Map<string, boolean>();
  readonly #pending = new Map<string, boolean>();
  readonly #thresholds: Thresholds;
  readonly #perProduct = new Map<string, Thresholds>();
  readonly #options: StockSyncOptions;
  #timer: unknown;
  #flushing: Promise<SyncFlush | undefined> = Promise.resolve(undefined);
  #closed = false;

  constructor(options: StockSyncOptions) {
    bounds(options.thresholds);
    this.#options = options;
    this.#thresholds = options.thresholds;
    for (const [id, t] of Object.entries(options.perProduct ?? {})) {
      bounds(t, `thresholds of ${JSON.stringify(id)}`);
      this.#perProduct.set(id, t);
    }
    for (const [id, live] of Object.entries(options.known ?? {})) this.#told.set(id, live);
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
    if (this.#closed) throw new Error("StockSync: record() after close().");
    if (typeof change?.productId !== "string" || change.productId.length === 0) {
      throw new TypeError(`StockSync: productId must be a non-empty string; got ${JSON.stringify(change?.productId)}.`);
    }
    if (change.thresholds) {
      bounds(change.thresholds, `thresholds of ${JSON.stringify(change.productId)}`);
      this.#perProduct.set(change.productId, change.thresholds);
    }
    const thresholds = this.#perProduct.get(change.productId) ?? this.#thresholds;
    const want = desiredLive(change.stock, thresholds);
    if (want === undefined) return undefined;
    if (this.#told.get(change.productId) === want) {
      // A burst that went out and came back before a flush: nothing to tell.
      this.#pending.delete(change.productId);
      return undefined;
    }
    this.#pending.set(change.productId, want);
    this.#schedule();
    return want;
  }

  recordMany(changes: Iterable<StockChange>): void {
    for (const change of changes) this.record(change);
  }

  /** Sends what is pending now; resolves when it is done. Flushes never overlap. */
  flush(): Promise<SyncFlush | undefined> {
    this.#flushing = this.#flushing.then(
      () => this.#flushOnce(),
      () => this.#flushOnce(),
    );
    return this.#flushing;
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
    let report: BatchReport;
    try {
      report = await this.#options.client.updateProducts([...sent].map(([product_id, live]) => ({ product_id, live })));
    } catch (error) {
      // Nothing is lost: put back what was taken, unless newer changes arrived meanwhile.
      for (const [id, live] of sent) if (!this.#pending.has(id)) this.#pending.set(id, live);
      throw error;
    }
    const rejected: ItemOutcome[] = [];
    const failed: ItemOutcome[] = [];
    for (const item of report.items) {
      const id = item.productId!;
      const live = sent.get(id)!;
      if (item.outcome === "updated") this.#told.set(id, live);
      else if (item.outcome === "failed") {
        failed.push(item);
        // Keep it for the next flush, unless a newer change was recorded meanwhile.
        if (!this.#pending.has(id)) this.#pending.set(id, live);
      } else rejected.push(item);
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
