/**
 * Figure 10: the durable outbox, one `recordDurably` at a time (a service answering each
 * inventory webhook only once its change is on disk), against a raw append of one record to a
 * file followed by fdatasync, one at a time: the floor, one fsync'd write per change.
 *
 * fsync's speed drifts a lot from moment to moment (several times over on a shared VM, even
 * within a second), so each round opens both in fresh temporary directories and alternates them one
 * write at a time (which one goes first alternates too), timing each side's writes; the ratio is
 * taken per round. The sync runs as in real use: the default flush settings (every second, or
 * at 100 pending), a client that answers at once with every item updated, so the flush's own
 * outbox writes (dropping settled entries) are part of what is measured: the sync's turn ends
 * only once the flush it started is done. Every change flips its product's live value, so every
 * call really writes.
 */
import { closeSync, fdatasync, openSync, write } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildReport } from "../../src/client/report.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { type Figure, fmt, SMOKE } from "../figure.js";
import { median, round, spread } from "../lib.js";

export const id = 10;
export const title = "durable outbox, sequential recordDurably";
export const target = "≥ 0.9 of a raw fsync'd append";

/** Rounds, and writes of each side per round (BENCH_OUTBOX_ROUNDS overrides the rounds). */
const ROUNDS = Number(process.env.BENCH_OUTBOX_ROUNDS ?? (SMOKE ? 1 : 20));
const WRITES = SMOKE ? 200 : 1000;
/** Products the changes cycle over: each one flips on every visit, with flushes in between. */
const PRODUCTS = 250;
const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };

const productId = (i: number) => `bench-${i % PRODUCTS}`;
/** The live value of change i: its product's visits alternate false, true, false, … */
const liveOf = (i: number) => Math.floor(i / PRODUCTS) % 2 === 1;

/** The floor: one record appended and fdatasync'd, with callbacks (as the outbox does). */
function rawAppend(fd: number, i: number): Promise<void> {
  const line = Buffer.from(`${JSON.stringify([productId(i), { live: liveOf(i) }])}\n`);
  return new Promise((resolve, reject) =>
    write(fd, line, (error) => (error ? reject(error) : fdatasync(fd, (e) => (e ? reject(e) : resolve())))),
  );
}

/** One round: a raw file and a sync, each in a fresh directory, one write of each in turn. */
async function measureRound(): Promise<{ raw: number; outbox: number }> {
  const rawDir = await mkdtemp(join(tmpdir(), "og-bench-outbox-raw-"));
  const syncDir = await mkdtemp(join(tmpdir(), "og-bench-outbox-"));
  // Flushes ended so far, and who waits for the next one to end.
  let flushesEnded = 0;
  let onFlushEnded: (() => void) | undefined;
  const flushEnded = () => {
    flushesEnded++;
    onFlushEnded?.();
    onFlushEnded = undefined;
  };
  const client = {
    updateProducts: async (items: ReadonlyArray<{ product_id: string }>) =>
      buildReport(
        items.map((item, index) => ({ index, productId: item.product_id, outcome: "updated" as const, status: 200 })),
        1,
        0,
      ),
  };
  const fd = openSync(join(rawDir, "raw.log"), "a");
  let sync: StockSync | undefined;
  try {
    sync = await StockSync.start({
      client,
      outbox: syncDir,
      thresholds: THRESHOLDS,
      onFlush: flushEnded,
      onError: flushEnded,
    });
    const s = sync;
    // Milliseconds spent by each side.
    const raw = { ms: 0 };
    const outbox = { ms: 0 };
    for (let i = 0; i < WRITES; i++) {
      for (const side of i % 2 === 0 ? [raw, outbox] : [outbox, raw]) {
        const started = performance.now();
        if (side === raw) await rawAppend(fd, i);
        else {
          const before = flushesEnded;
          await s.recordDurably({ productId: productId(i), stock: liveOf(i) ? 20 : 0 });
          // Not pending any more: a flush took it, and its outbox writes are this turn's cost too.
          if (!s.pending.has(productId(i)) && flushesEnded === before)
            await new Promise<void>((resolve) => (onFlushEnded = resolve));
        }
        side.ms += performance.now() - started;
      }
    }
    return { raw: (WRITES / raw.ms) * 1000, outbox: (WRITES / outbox.ms) * 1000 };
  } finally {
    await sync?.stop();
    closeSync(fd);
    await rm(rawDir, { recursive: true, force: true });
    await rm(syncDir, { recursive: true, force: true });
  }
}

export const figure: Figure = {
  id,
  title,
  target,
  async run() {
    const raw: number[] = [];
    const outbox: number[] = [];
    const ratios: number[] = [];
    // One unmeasured round first: compiling the code paths.
    await measureRound();
    for (let r = 0; r < ROUNDS; r++) {
      const m = await measureRound();
      raw.push(m.raw);
      outbox.push(m.outbox);
      ratios.push(m.outbox / m.raw);
    }
    const ratio = spread(ratios);
    const perSecond = (values: number[]) => {
      const s = spread(values);
      return `${Math.round(s.median)} changes/s [${Math.round(s.min)}–${Math.round(s.max)}]`;
    };
    return {
      id,
      figure: `durable outbox: sequential \`recordDurably\`, one change at a time (${ROUNDS} rounds of ${WRITES} writes each, alternating)`,
      value: perSecond(outbox),
      baseline: `raw append of one record + \`fdatasync\`, one at a time: ${perSecond(raw)}`,
      ratio: round(ratio.median),
      spread: fmt(ratio),
      target,
      met: ratio.median >= 0.9,
      numbers: {
        outboxPerSecond: median(outbox),
        rawAppendPerSecond: median(raw),
        ratio: ratio.median,
        ratioMin: ratio.min,
        ratioMax: ratio.max,
        rounds: ROUNDS,
      },
    };
  },
};
