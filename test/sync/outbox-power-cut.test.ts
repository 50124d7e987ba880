/**
 * What StockSync's durability rests on, at the moments a crash can hit (the flush's deletions
 * are unsynced, and a flush sends only what is on disk). An in-memory outbox models the
 * outbox's log: writes are applied in the order issued; a synced write is on disk, with
 * every write before it, only once the test lets the disk finish; an unsynced one is lost by a
 * power cut unless a later synced write persisted it. Then the real outbox (an append-only file):
 * writes stay in order whatever their `sync`, a group is written synced when any of it must be,
 * a failed write leaves nothing behind, and a record cut short by a crash is dropped at open.
 */
import fs, { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildReport } from "../../src/client/report.js";
import {
  type Outbox,
  type OutboxEntry,
  type OutboxIo,
  type OutboxWriteOptions,
  openOutbox,
  openOutboxWith,
} from "../../src/sync/outbox.js";
import { StockSync } from "../../src/sync/stock-sync.js";

const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };
type Change = readonly [string, OutboxEntry | null];

class ModelOutbox implements Outbox {
  /** Every write, in the order issued; the first `persisted` are on disk. */
  readonly log: Array<{ change: Change; sync: boolean }> = [];
  persisted = 0;
  /** Synced writes waiting for the disk (see release). */
  readonly #waiting: Array<() => void> = [];

  /** `disk`: what a previous run left on disk; `auto`: the disk finishes synced writes on its own. */
  constructor(
    private readonly disk = new Map<string, OutboxEntry>(),
    private readonly auto = false,
  ) {}

  async load(): Promise<Map<string, OutboxEntry>> {
    return this.onDisk();
  }

  /** A failing disk: writes are refused (EIO) and change nothing. */
  failWrites = false;

  write(changes: readonly Change[], options?: OutboxWriteOptions): Promise<void> {
    if (this.failWrites) return Promise.reject(new Error("EIO: i/o error, write"));
    const sync = options?.sync !== false;
    for (const change of changes) this.log.push({ change, sync });
    if (!sync) return Promise.resolve();
    const upTo = this.log.length;
    return new Promise((resolve) => {
      this.#waiting.push(() => {
        this.persisted = Math.max(this.persisted, upTo);
        resolve();
      });
      if (this.auto) setImmediate(() => this.release());
    });
  }

  /** The disk finishes every synced write issued so far. */
  release(): void {
    for (const finish of this.#waiting.splice(0)) finish();
  }

  /** What a power cut now would leave: the previous run's entries, then the persisted writes. */
  onDisk(): Map<string, OutboxEntry> {
    const state = new Map(this.disk);
    for (const { change } of this.log.slice(0, this.persisted)) {
      const [id, entry] = change;
      if (entry === null) state.delete(id);
      else state.set(id, entry);
    }
    return state;
  }

  async close(): Promise<void> {}
}

/** Ordergroove, as the syncs of one test see it: what it received, and any value sent before it was on disk. */
function ordergroove() {
  const received: Array<[string, boolean]> = [];
  const sentBeforeOnDisk: string[] = [];
  let box: ModelOutbox | undefined;
  const client = {
    updateProducts: async (items: ReadonlyArray<{ product_id: string; live: boolean }>) => {
      for (const { product_id, live } of items) {
        received.push([product_id, live]);
        if (box?.onDisk().get(product_id)?.live !== live) sentBeforeOnDisk.push(`${product_id}=${live}`);
      }
      return buildReport(
        items.map((item, index) => ({ index, productId: item.product_id, outcome: "updated" as const, status: 200 })),
        1,
        0,
      );
    },
  };
  const start = async (outbox: ModelOutbox) => {
    box = outbox;
    return StockSync.start({ client, outbox, thresholds: THRESHOLDS, flushIntervalMs: 0 });
  };
  const valuesOf = (id: string) => received.filter(([p]) => p === id).map(([, live]) => live);
  return { received, sentBeforeOnDisk, start, valuesOf };
}

/** Lets every pending callback run (the model's disk does nothing until released). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

describe("StockSync against power cuts (a model of the outbox's log)", () => {
  it("acknowledges a change only once it is on disk, and sends it only then", async () => {
    const og = ordergroove();
    const box = new ModelOutbox();
    const sync = await og.start(box);
    let acknowledged = false;
    const recorded = sync.recordDurably({ productId: "a", stock: 0 }).then(() => (acknowledged = true));
    const flushed = sync.flush();
    await settle();
    expect(acknowledged).toBe(false);
    expect(og.received).toEqual([]);
    box.release();
    await recorded;
    await flushed;
    expect(og.received).toEqual([["a", false]]);
    expect(og.sentBeforeOnDisk).toEqual([]);
  });

  it("a cut that loses the flush's unsynced deletions replays only values Ordergroove already has", async () => {
    const og = ordergroove();
    const box = new ModelOutbox();
    const sync = await og.start(box);
    const recorded = sync.recordDurably([
      { productId: "a", stock: 0 },
      { productId: "b", stock: 0 },
    ]);
    box.release();
    await recorded;
    await sync.flush();
    // Confirmed: their entries are dropped by a write that is not synced by itself.
    expect(box.log.slice(-2)).toEqual([
      { change: ["a", null], sync: false },
      { change: ["b", null], sync: false },
    ]);
    // a comes back in stock; a flush starts while that change is still on its way to the disk.
    void sync.recordDurably({ productId: "a", stock: 20 });
    void sync.flush();
    await settle();
    // The cut: the change was never acknowledged (its source sends it again), and was not sent.
    const disk = box.onDisk();
    expect(disk).toEqual(
      new Map([
        ["a", { live: false }],
        ["b", { live: false }],
      ]),
    );
    const restarted = await og.start(new ModelOutbox(disk, true));
    expect(restarted.replayed).toBe(2);
    // Ordergroove saw false, then the replay's false again: never true followed by an older false.
    expect(og.valuesOf("a")).toEqual([false, false]);
    expect(og.valuesOf("b")).toEqual([false, false]);
    expect(og.sentBeforeOnDisk).toEqual([]);
  });

  it("a change whose write failed is neither acknowledged nor sent: the product's value on disk stays its latest", async () => {
    const og = ordergroove();
    const box = new ModelOutbox(new Map(), true);
    const sync = await og.start(box);
    await sync.recordDurably({ productId: "a", stock: 0 });
    box.failWrites = true;
    await expect(sync.recordDurably({ productId: "a", stock: 20 })).rejects.toThrow(/EIO/);
    box.failWrites = false;
    await sync.flush();
    // Sent: the value on disk, not the one the failed write carried.
    expect(og.valuesOf("a")).toEqual([false]);
    expect(og.sentBeforeOnDisk).toEqual([]);
  });

  it("a failed write while a flush waits for it: the flush leaves that value out", async () => {
    const og = ordergroove();
    const box = new ModelOutbox(new Map(), true);
    const sync = await og.start(box);
    box.failWrites = true;
    const recorded = sync.recordDurably({ productId: "a", stock: 0 });
    const flushed = sync.flush();
    await expect(recorded).rejects.toThrow(/EIO/);
    await flushed;
    expect(og.received).toEqual([]);
    expect(sync.pending.size).toBe(0);
    expect(sync.durablePending).toBe(0);
  });

  it("a list with a bad change in it records none of it", async () => {
    const og = ordergroove();
    const box = new ModelOutbox(new Map(), true);
    const sync = await og.start(box);
    await expect(
      sync.recordDurably([
        { productId: "a", stock: 0 },
        { productId: "", stock: 1 },
      ]),
    ).rejects.toThrow(/productId must be a non-empty string/);
    expect(sync.pending.size).toBe(0);
    await sync.flush();
    expect(og.received).toEqual([]);
    expect(box.log).toEqual([]);
  });

  it("a later synced write persists the unsynced deletions before it: a cut then replays just the newest change", async () => {
    const og = ordergroove();
    const box = new ModelOutbox(new Map(), true);
    const sync = await og.start(box);
    await sync.recordDurably([
      { productId: "a", stock: 0 },
      { productId: "b", stock: 0 },
    ]);
    await sync.flush();
    await sync.recordDurably({ productId: "a", stock: 20 });
    const disk = box.onDisk();
    expect(disk).toEqual(new Map([["a", { live: true }]]));
    const restarted = await og.start(new ModelOutbox(disk, true));
    expect(restarted.replayed).toBe(1);
    expect(og.valuesOf("a")).toEqual([false, true]);
    expect(og.valuesOf("b")).toEqual([false]);
  });
});

describe("the real outbox: order and sync", () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  /** node:fs's own calls, each one recorded on its way: how many records a write carried, and each fdatasync. */
  function watchedIo(calls: string[]): OutboxIo {
    return {
      write: ((fd: number, buffer: Buffer, offset: number, length: number, position: null, cb: never) => {
        calls.push(
          `write ${
            buffer
              .subarray(offset, offset + length)
              .toString()
              .split("\n").length - 1
          }`,
        );
        return fs.write(fd, buffer, offset, length, position, cb);
      }) as unknown as OutboxIo["write"],
      fdatasync: ((fd: number, cb: never) => {
        calls.push("fdatasync");
        return fs.fdatasync(fd, cb);
      }) as OutboxIo["fdatasync"],
      ftruncate: fs.ftruncate,
    };
  }

  it("keeps writes in the order issued whatever their sync, and writes a group synced when any of it must be", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-outbox-order-"));
    dirs.push(dir);
    const calls: string[] = [];
    const box = await openOutboxWith(dir, watchedIo(calls));
    // A lone put is synced; a lone unsynced deletion is not.
    await box.write([["x", { live: true }]]);
    await box.write([["x", null]], { sync: false });
    expect(calls).toEqual(["write 1", "fdatasync", "write 1"]);
    calls.length = 0;
    // Issued without waiting: put, unsynced delete, put again (the latest must win), and put then
    // unsynced delete (the delete must win), for many products at once.
    const writes: Array<Promise<void>> = [];
    const issued: string[] = [];
    for (let i = 0; i < 30; i++) {
      const each: Array<[string, OutboxEntry | null, boolean]> = [
        [`back-${i}`, { live: false }, true],
        [`back-${i}`, null, false],
        [`back-${i}`, { live: true }, true],
        [`gone-${i}`, { live: false }, true],
        [`gone-${i}`, null, false],
      ];
      for (const [id, entry, sync] of each) {
        writes.push(box.write([[id, entry]], { sync }));
        issued.push(JSON.stringify(entry === null ? [id] : [id, entry]));
      }
    }
    await Promise.all(writes);
    // The first went alone; the rest, queued behind it, went as one synced append.
    expect(calls).toEqual(["write 1", "fdatasync", "write 149", "fdatasync"]);
    // On disk in the order issued.
    const log = readFileSync(join(dir, "outbox.log"), "utf8").trimEnd().split("\n");
    expect(log.slice(-150)).toEqual(issued);
    await box.close();
    const reopened = await openOutbox(dir);
    const left = await reopened.load();
    await reopened.close();
    expect(left).toEqual(new Map(Array.from({ length: 30 }, (_, i) => [`back-${i}`, { live: true }])));
  });

  it("a failed write changes nothing on disk, and the next one is written after what was there", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-outbox-fail-"));
    dirs.push(dir);
    let failNext = false;
    const io: OutboxIo = {
      ...watchedIo([]),
      // A disk that fails the fdatasync after the write itself went through (EIO).
      fdatasync: ((fd: number, cb: (e: NodeJS.ErrnoException | null) => void) =>
        failNext
          ? fs.fdatasync(fd, () => cb(Object.assign(new Error("EIO: i/o error, fdatasync"), { code: "EIO" })))
          : fs.fdatasync(fd, cb)) as OutboxIo["fdatasync"],
    };
    const box = await openOutboxWith(dir, io);
    await box.write([["a", { live: false }]]);
    failNext = true;
    await expect(box.write([["a", { live: true }]])).rejects.toThrow(/Failed to write to the outbox: EIO/);
    failNext = false;
    await box.write([["b", { live: false }]]);
    await box.close();
    const reopened = await openOutbox(dir);
    expect(await reopened.load()).toEqual(
      new Map([
        ["a", { live: false }],
        ["b", { live: false }],
      ]),
    );
    await reopened.close();
  });

  it("a write cut short that cannot be undone makes the outbox refuse every later write, and the log still opens", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-outbox-broken-"));
    dirs.push(dir);
    let failing = false;
    const io: OutboxIo = {
      // A disk that takes half of a write, then fails (ENOSPC), and cannot truncate either (EIO).
      write: ((fd: number, buffer: Buffer, offset: number, length: number, position: null, cb: never) => {
        if (!failing) return fs.write(fd, buffer, offset, length, position, cb);
        fs.writeSync(fd, buffer, offset, Math.floor(length / 2));
        (cb as (e: Error) => void)(
          Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" }),
        );
      }) as unknown as OutboxIo["write"],
      fdatasync: fs.fdatasync,
      ftruncate: ((fd: number, len: number, cb: (e: Error | null) => void) =>
        failing
          ? cb(Object.assign(new Error("EIO: i/o error, ftruncate"), { code: "EIO" }))
          : fs.ftruncate(fd, len, cb)) as OutboxIo["ftruncate"],
    };
    const box = await openOutboxWith(dir, io);
    await box.write([["a", { live: false }]]);
    failing = true;
    await expect(box.write([["b", { live: false }]])).rejects.toThrow(/ENOSPC/);
    failing = false;
    // The half record stays at the log's end: a record after it would make it damage, not a cut.
    await expect(box.write([["c", { live: false }]])).rejects.toThrow(/ENOSPC/);
    await box.close();
    const reopened = await openOutbox(dir);
    expect(await reopened.load()).toEqual(new Map([["a", { live: false }]]));
    await reopened.close();
  });

  it("a crash that cut the last record short loses only that record; the log is rewritten, bounded, at open", async () => {
    const dir = await mkdtemp(join(tmpdir(), "og-outbox-cut-"));
    dirs.push(dir);
    const box = await openOutbox(dir);
    for (let i = 0; i < 20; i++) await box.write([[`p-${i % 4}`, { live: i % 2 === 0 }]]);
    await box.close();
    // The last append, cut short by a power cut.
    fs.appendFileSync(join(dir, "outbox.log"), '["p-9",{"live":tr');
    const reopened = await openOutbox(dir);
    expect(await reopened.load()).toEqual(
      new Map([
        ["p-0", { live: true }],
        ["p-1", { live: false }],
        ["p-2", { live: true }],
        ["p-3", { live: false }],
      ]),
    );
    // Rewritten with just the four entries: the header and one line each.
    expect(readFileSync(join(dir, "outbox.log"), "utf8").trimEnd().split("\n")).toHaveLength(5);
    await reopened.close();
  });
});
