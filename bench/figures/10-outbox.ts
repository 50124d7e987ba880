/**
 * Figure 10: the durable outbox, one `recordDurably` at a time (a service answering each
 * inventory webhook only once its change is on disk), against a raw classic-level
 * `put(key, value, { sync: true })` one at a time: the floor, one fsync'd write per change.
 *
 * fsync's speed drifts a lot from moment to moment (0.3 to 1.5 ms on a shared VM), so each
 * round opens both in fresh temporary directories and alternates short slices of each, and the
 * ratio is taken per round. The sync runs as in real use: the default flush settings (every
 * second, or at 100 pending), a client that answers at once with every item updated, so the
 * flush's own outbox writes (dropping settled entries) are part of what is measured: a slice of
 * the sync ends only once the flush it started is done. Every change flips its product's live
 * value, so every call really writes.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ClassicLevel } from "classic-level";
import { buildReport } from "../../src/client/report.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { type Figure, fmt, SMOKE } from "../figure.js";
import { median, round, spread } from "../lib.js";

export const id = 10;
export const title = "durable outbox, sequential recordDurably";
export const target = "≥ 0.9 of a raw fsync'd put";

/** Rounds, and slices of each side per round (BENCH_OUTBOX_ROUNDS overrides the rounds). */
const ROUNDS = Number(process.env.BENCH_OUTBOX_ROUNDS ?? (SMOKE ? 1 : 20));
const SLICES = SMOKE ? 2 : 10;
const SLICE_MS = 50;
/** Products the changes cycle over: each one flips on every visit, with flushes in between. */
const PRODUCTS = 1000;
const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };

const productId = (i: number) => `bench-${i % PRODUCTS}`;
/** The live value of change i: its product's visits alternate false, true, false, … */
const liveOf = (i: number) => Math.floor(i / PRODUCTS) % 2 === 1;

/** Changes made and milliseconds spent by one side of a round. */
interface Side {
  count: number;
  ms: number;
}

/** Runs `step(count)` one at a time for about SLICE_MS, then `settle()`, all counted in `side`. */
async function slice(side: Side, step: (i: number) => Promise<void>, settle?: () => Promise<void>): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < SLICE_MS) await step(side.count++);
  await settle?.();
  side.ms += performance.now() - started;
}

/** One round: a raw store and a sync, each in a fresh directory, in alternating slices. */
async function measureRound(first: "raw" | "outbox"): Promise<{ raw: number; outbox: number }> {
  const rawDir = await mkdtemp(join(tmpdir(), "og-bench-outbox-raw-"));
  const syncDir = await mkdtemp(join(tmpdir(), "og-bench-outbox-"));
  // The flush under way, if any: a slice of the sync waits for it (its outbox writes are the sync's cost).
  let flushing: { done: Promise<void>; end: () => void } | undefined;
  const client = {
    updateProducts: async (items: ReadonlyArray<{ product_id: string }>) => {
      let end = () => {};
      flushing ??= { done: new Promise<void>((resolve) => (end = resolve)), end: () => end() };
      return buildReport(
        items.map((item, index) => ({ index, productId: item.product_id, outcome: "updated" as const, status: 200 })),
        1,
        0,
      );
    },
  };
  const settled = () => {
    flushing?.end();
    flushing = undefined;
  };
  const db = new ClassicLevel<string, { live: boolean }>(rawDir, { valueEncoding: "json" });
  let sync: StockSync | undefined;
  try {
    await db.open();
    sync = await StockSync.start({
      client,
      outbox: syncDir,
      thresholds: THRESHOLDS,
      onFlush: settled,
      onError: settled,
    });
    const s = sync;
    const raw: Side = { count: 0, ms: 0 };
    const outbox: Side = { count: 0, ms: 0 };
    const rawSlice = () => slice(raw, (i) => db.put(productId(i), { live: liveOf(i) }, { sync: true }));
    const outboxSlice = () =>
      slice(
        outbox,
        (i) => s.recordDurably({ productId: productId(i), stock: liveOf(i) ? 20 : 0 }),
        async () => {
          await flushing?.done;
        },
      );
    for (let k = 0; k < SLICES; k++) {
      if ((k % 2 === 0) === (first === "raw")) {
        await rawSlice();
        await outboxSlice();
      } else {
        await outboxSlice();
        await rawSlice();
      }
    }
    return { raw: (raw.count / raw.ms) * 1000, outbox: (outbox.count / outbox.ms) * 1000 };
  } finally {
    await sync?.stop();
    await db.close();
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
    // One unmeasured round first: loading the native module, compiling the code paths.
    await measureRound("raw");
    for (let r = 0; r < ROUNDS; r++) {
      const m = await measureRound(r % 2 === 0 ? "raw" : "outbox");
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
      figure: `durable outbox: sequential \`recordDurably\`, one change at a time (${ROUNDS} rounds of ${SLICES} alternating ${SLICE_MS} ms slices each)`,
      value: perSecond(outbox),
      baseline: `raw classic-level \`put\` with \`sync: true\`, one at a time: ${perSecond(raw)}`,
      ratio: round(ratio.median),
      spread: fmt(ratio),
      target,
      met: ratio.median >= 0.9,
      numbers: {
        outboxPerSecond: median(outbox),
        rawPutPerSecond: median(raw),
        ratio: ratio.median,
        ratioMin: ratio.min,
        ratioMax: ratio.max,
        rounds: ROUNDS,
      },
    };
  },
};
