/**
 * StockSync.stop() ends within its bound during an outage and says what is still
 * pending; with an outbox those changes stay for the next start, which delivers every one of
 * them. Flushes queued while one runs coalesce into one. The outbox's open errors name their
 * real cause.
 */
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { OrdergrooveClient } from "../../src/client/client.js";
import type { BatchReport } from "../../src/client/report.js";
import { explainOpenFailure, openOutbox } from "../../src/sync/outbox.js";
import { DEFAULT_STOP_TIMEOUT_MS, StockSync } from "../../src/sync/stock-sync.js";
import { CREDS } from "../helpers/mock-server.js";

const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };
const CHANGES = Array.from({ length: 400 }, (_, i) => ({ productId: `sku-${i}`, stock: 0 }));

/** A port nothing listens on: Ordergroove unreachable. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const okReport = (items: ReadonlyArray<{ product_id: string }>): BatchReport =>
  ({
    items: items.map((i) => ({ productId: i.product_id, outcome: "updated", status: 200 })),
    updated: items.map((i) => i.product_id),
    notFound: [],
    invalid: [],
    failed: [],
    requests: 1,
    retries: 0,
    ok: true,
  }) as unknown as BatchReport;

describe("StockSync.stop() during an outage", () => {
  it("returns within its bound, names what is pending, and a later start delivers every change", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-stop-"));
    // The real client against an unreachable Ordergroove: it retries with backoff for a long time.
    const client = new OrdergrooveClient({
      environment: { baseUrl: `http://127.0.0.1:${await deadPort()}` },
      credentials: { kind: "hmac", ...CREDS },
    });
    const errors: Error[] = [];
    const sync = await StockSync.start({
      client,
      outbox: dir,
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
      onError: (e) => errors.push(e),
    });
    await sync.recordDurably(CHANGES);
    // The fake clock: stop()'s bound passes when the test says so, and the client's backoff
    // between attempts never ends on its own (an outage that outlasts the bound).
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let stopped: Awaited<ReturnType<typeof sync.stop>>;
    try {
      const stopping = sync.stop({ timeoutMs: 1_500 });
      let settled = false;
      void stopping.finally(() => (settled = true));
      await vi.advanceTimersByTimeAsync(1_499);
      expect(settled).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      stopped = await stopping;
    } finally {
      vi.useRealTimers();
    }
    expect(stopped.timedOut).toBe(true);
    expect(stopped.pending.size).toBe(400);
    expect(stopped.pending.get("sku-0")).toBe(false);

    const delivered = new Map<string, boolean>();
    const next = await StockSync.start({
      client: {
        updateProducts: async (items) => {
          for (const i of items) delivered.set(i.product_id, i.live as boolean);
          return okReport(items);
        },
      },
      outbox: dir,
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
    });
    expect(next.replayed).toBe(400);
    expect(delivered.size).toBe(400);
    expect([...delivered.values()].every((live) => live === false)).toBe(true);
    expect(next.durablePending).toBe(0);
    const done = await next.stop();
    expect(done).toMatchObject({ timedOut: false, pending: new Map() });
  }, 20_000);

  it("bounds stop() by default well within 20 s", () => {
    expect(DEFAULT_STOP_TIMEOUT_MS).toBeLessThanOrEqual(10_000);
  });
});

describe("flushes queued while one runs", () => {
  it("coalesce into one: 400 records past a full batch during an outage make one request cycle, not 301", async () => {
    const calls: number[] = [];
    const sync = new StockSync({
      client: {
        updateProducts: async (items) => {
          calls.push(items.length);
          await new Promise((resolve) => setTimeout(resolve, 20));
          throw new Error("Ordergroove is unreachable");
        },
      },
      thresholds: THRESHOLDS,
      flushIntervalMs: 0,
      maxPending: 100,
      onError: () => {},
    });
    for (const change of CHANGES) sync.record(change);
    await sync.flush().catch(() => {});
    // One flush for all 400 (each record past 100 asked for one), then stop()'s own last attempt.
    const stopped = await sync.stop();
    expect(calls).toEqual([400, 400]);
    expect(stopped.pending.size).toBe(400);
  });
});

describe("the outbox's open errors name the real cause", () => {
  it("a lock held, a path that is a file, a corrupt store, a read-only disk", async () => {
    const base = await mkdtemp(join(tmpdir(), "og-outbox-errors-"));
    const held = await openOutbox(join(base, "held"));
    await expect(openOutbox(join(base, "held"))).rejects.toThrow(/holds it: only one may use an outbox at a time/);
    await held.close();

    writeFileSync(join(base, "file"), "x");
    await expect(openOutbox(join(base, "file"))).rejects.toThrow(/is a file, not a directory/);
    await expect(openOutbox(join(base, "file", "sub"))).rejects.toThrow(/is a file, not a directory/);

    const corrupt = join(base, "corrupt");
    const box = await openOutbox(corrupt);
    await box.write([["a", { live: false }]]);
    await box.close();
    for (const f of readdirSync(corrupt)) if (f.startsWith("MANIFEST")) writeFileSync(join(corrupt, f), "garbage");
    await expect(openOutbox(corrupt)).rejects.toThrow(/The store is corrupt/);

    // A read-only disk cannot be made here without root's help (root writes anyway): its error as classic-level reports it.
    const readOnly = Object.assign(new Error("Database failed to open"), {
      cause: Object.assign(new Error("IO error: /data/outbox/LOCK: Read-only file system"), { code: "LEVEL_IO_ERROR" }),
    });
    const message = explainOpenFailure(readOnly, "/data/outbox");
    expect(message).toMatch(/read-only or this process may not write there/);
    for (const m of [message]) expect(m).not.toMatch(/another process/i);
    mkdirSync(join(base, "fine"));
  });
});
