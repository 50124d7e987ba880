import { describe, expect, it, vi } from "vitest";
import { StockSync, type SyncFlush } from "../../src/sync/stock-sync.js";
import { clientFor } from "../helpers/client.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });
const thresholds = { outOfStockAt: 0, lowStockAt: 3, restockAt: 10 };

/** A sync with a hand-driven timer. */
function makeSync(extra: Partial<ConstructorParameters<typeof StockSync>[0]> = {}) {
  const { client } = clientFor(og);
  const timers: Array<() => void> = [];
  const flushes: SyncFlush[] = [];
  const errors: Error[] = [];
  const sync = new StockSync({
    client,
    thresholds,
    known: { "og-coffee-beans-1kg": true, "og-green-tea-100": true, "og-dog-food-12kg": true },
    setTimer: (fn) => timers.push(fn),
    clearTimer: () => {},
    onFlush: (f) => flushes.push(f),
    onError: (e) => errors.push(e),
    ...extra,
  });
  return {
    sync,
    timers,
    flushes,
    errors,
    fire: () => {
      for (const fn of timers.splice(0)) fn();
    },
  };
}

const batches = () => og.running.mock.journal.entries().map((e) => e.body);

describe("StockSync", () => {
  it("does not lose a change that reverts a value while its PATCH is on its way", async () => {
    const { sync } = makeSync();
    // The fake clock: the fake holds its answer back until the test lets 300 ms pass.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    try {
      og.running.mock.faults.set({ items: [], next: [], latencyMs: 300, dropNext: 0 });
      sync.record({ productId: "og-coffee-beans-1kg", stock: 0 }); // Ordergroove has true: send false
      const sending = sync.flush();
      // False is on its way: the fake has applied it and holds the answer back (polled without
      // vi.waitFor, which would move the fake clock).
      for (let i = 0; i < 10_000 && batches().length === 0; i++) await new Promise((r) => setImmediate(r));
      expect(batches()).toHaveLength(1);
      sync.record({ productId: "og-coffee-beans-1kg", stock: 50 }); // back in stock before the answer
      await vi.advanceTimersByTimeAsync(300);
      await sending;
    } finally {
      vi.useRealTimers();
    }
    await sync.flush();
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });

  it("sends live=false when stock falls to the low mark and live=true only at the restock level", async () => {
    const { sync } = makeSync();
    sync.record({ productId: "og-coffee-beans-1kg", stock: 2 });
    await sync.flush();
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    sync.record({ productId: "og-coffee-beans-1kg", stock: 5 });
    await sync.flush();
    sync.record({ productId: "og-coffee-beans-1kg", stock: 10 });
    await sync.flush();
    expect(batches()).toEqual([
      [{ product_id: "og-coffee-beans-1kg", live: false }],
      [{ product_id: "og-coffee-beans-1kg", live: true }],
    ]);
  });

  it("does not flap for a product hovering around the threshold", async () => {
    const { sync } = makeSync();
    for (const stock of [2, 4, 3, 4, 2, 5, 3, 6, 9, 4]) {
      sync.record({ productId: "og-green-tea-100", stock });
      await sync.flush();
    }
    expect(batches()).toEqual([[{ product_id: "og-green-tea-100", live: false }]]);
  });

  it("sends nothing for changes Ordergroove already knows", async () => {
    const { sync } = makeSync();
    sync.record({ productId: "og-coffee-beans-1kg", stock: 50 });
    expect(sync.pending.size).toBe(0);
    expect(await sync.flush()).toBeUndefined();
    expect(og.running.mock.journal.total).toBe(0);
  });

  it("coalesces a burst into one batch, keeping each product's latest state", async () => {
    const { sync, fire } = makeSync();
    sync.record({ productId: "og-coffee-beans-1kg", stock: 0 });
    sync.record({ productId: "og-green-tea-100", stock: 1 });
    sync.record({ productId: "og-dog-food-12kg", stock: 0 });
    sync.record({ productId: "og-dog-food-12kg", stock: 40 }); // back before the flush: nothing to send
    sync.record({ productId: "og-green-tea-100", stock: 0 });
    fire();
    await sync.flush();
    expect(batches()).toEqual([
      [
        { product_id: "og-coffee-beans-1kg", live: false },
        { product_id: "og-green-tea-100", live: false },
      ],
    ]);
  });

  it("flushes on its timer", async () => {
    const { sync, timers, flushes } = makeSync();
    sync.record({ productId: "og-coffee-beans-1kg", stock: 0 });
    expect(timers).toHaveLength(1);
    timers[0]!();
    await sync.flush();
    expect(flushes).toHaveLength(1);
    expect(flushes[0]!.report.ok).toBe(true);
  });

  it("flushes at once when a batch fills", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `s-${i}`);
    og.running.mock.catalog.upsert(ids.map((id) => ({ external_product_id: id })));
    const { sync, timers } = makeSync({ maxPending: 100 });
    for (const id of ids) sync.record({ productId: id, stock: 0 });
    await sync.flush();
    expect(timers.length).toBeLessThanOrEqual(1);
    expect(batches()).toHaveLength(1);
    expect(sync.lastTold("s-99")).toBe(false);
  });

  it("reports items Ordergroove refuses and does not resend them", async () => {
    const { sync, flushes } = makeSync();
    sync.record({ productId: "ghost", stock: 0 });
    await sync.flush();
    expect(flushes[0]!.rejected.map((r) => [r.productId, r.outcome])).toEqual([["ghost", "not_found"]]);
    expect(sync.pending.size).toBe(0);
    expect(await sync.flush()).toBeUndefined();
  });

  it("keeps failed items pending, reports them, and delivers them on a later flush", async () => {
    og.running.mock.faults.failNext(503, 5);
    const { sync, errors, timers } = makeSync();
    const { client } = clientFor(og, { retry: { maxAttempts: 2 } });
    const failing = new StockSync({
      client,
      thresholds,
      setTimer: (fn) => timers.push(fn),
      clearTimer: () => {},
      onError: (e) => errors.push(e),
    });
    failing.record({ productId: "og-coffee-beans-1kg", stock: 0 });
    const first = await failing.flush();
    expect(first!.failed).toHaveLength(1);
    expect(errors[0]!.name).toBe("ServerError");
    expect(failing.pending.get("og-coffee-beans-1kg")).toBe(false);
    og.running.mock.faults.clear();
    const second = await failing.flush();
    expect(second!.report.ok).toBe(true);
    expect(failing.lastTold("og-coffee-beans-1kg")).toBe(false);
    expect(sync.pending.size).toBe(0);
  });

  it("uses per-product thresholds", async () => {
    const { sync } = makeSync({ perProduct: { "og-dog-food-12kg": { lowStockAt: 20, restockAt: 50 } } });
    expect(sync.record({ productId: "og-dog-food-12kg", stock: 15 })).toBe(false);
    expect(sync.record({ productId: "og-coffee-beans-1kg", stock: 15 })).toBeUndefined();
  });

  it("flushes what is left on close, and refuses records after it", async () => {
    const { sync } = makeSync();
    sync.record({ productId: "og-coffee-beans-1kg", stock: 0 });
    const last = await sync.close();
    expect(last!.report.ok).toBe(true);
    expect(() => sync.record({ productId: "og-coffee-beans-1kg", stock: 0 })).toThrow(
      "StockSync: record() after close().",
    );
  });

  it("refuses bad input with a specific error and queues nothing", () => {
    const { sync } = makeSync();
    expect(() => sync.record({ productId: "", stock: 0 })).toThrow(
      'StockSync: productId must be a non-empty string; got "".',
    );
    expect(() => sync.record({ productId: "x", stock: Number.NaN })).toThrow("Invalid stock level");
    expect(() => sync.record({ productId: "x", stock: 1, thresholds: { restockAt: 0 } })).toThrow(
      /restockAt \(0\) must be above/,
    );
    expect(sync.pending.size).toBe(0);
  });
});
