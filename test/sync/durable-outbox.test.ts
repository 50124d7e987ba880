/** A durable outbox, in-process: what StockSync refuses; durable-outbox.e2e.test.ts kills a real worker mid-run. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openOutbox } from "../../src/sync/outbox.js";

const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };

describe("StockSync with a durable outbox", () => {
  it("refuses record() without durability, and explains a locked outbox", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-outbox-"));
    const { StockSync } = await import("../../src/sync/stock-sync.js");
    const sync = await StockSync.start({
      client: {
        updateProducts: async () => ({
          items: [],
          updated: [],
          notFound: [],
          invalid: [],
          failed: [],
          requests: 0,
          retries: 0,
          ok: true,
        }),
      },
      outbox: dir,
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
    });
    expect(() => sync.record({ productId: "a", stock: 0 })).toThrow(/recordDurably/);
    await expect(openOutbox(dir)).rejects.toThrow(
      /Failed to open the outbox at .*holds it: only one may use an outbox at a time/,
    );
    await sync.stop();
  });
});
