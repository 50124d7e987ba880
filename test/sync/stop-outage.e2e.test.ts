/**
 * Issue 25's "done when" for the sync, as a user meets it: with Ordergroove unreachable and 400
 * changes pending, `stop()` with its default bound returns within 20 s (an orchestrator's grace
 * period would otherwise end in SIGKILL); a later start, with Ordergroove back (a real og-mock),
 * delivers every pending change.
 */
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startMockServer } from "../../mock-server/node/server.js";
import { OrdergrooveClient } from "../../src/client/client.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { CREDS } from "../helpers/mock-server.js";

const THRESHOLDS = { lowStockAt: 5, restockAt: 10 };
const IDS = Array.from({ length: 400 }, (_, i) => `sku-${String(i).padStart(3, "0")}`);

const clientAt = (baseUrl: string) =>
  new OrdergrooveClient({ environment: { baseUrl }, credentials: { kind: "hmac", ...CREDS } });

it("stop() during an outage returns within 20 s; the next start delivers all 400 changes", async () => {
  const dir = await mkdtemp(join(tmpdir(), "og-outage-"));
  // A port nothing listens on, then the fake on that very port once the outage is over.
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));

  const sync = await StockSync.start({
    client: clientAt(`http://127.0.0.1:${port}`),
    outbox: dir,
    thresholds: THRESHOLDS,
    onError: () => {},
  });
  await sync.recordDurably(IDS.map((productId) => ({ productId, stock: 0 })));
  const started = performance.now();
  const stopped = await sync.stop();
  const took = performance.now() - started;
  expect(took, `stop() took ${Math.round(took)} ms`).toBeLessThan(20_000);
  expect(stopped.pending.size).toBe(400);

  const og = await startMockServer({
    port,
    throttle: false,
    products: IDS.map((external_product_id) => ({ external_product_id, live: true })),
  });
  try {
    const next = await StockSync.start({ client: clientAt(og.url), outbox: dir, thresholds: THRESHOLDS });
    expect(next.replayed).toBe(400);
    expect(next.durablePending).toBe(0);
    for (const id of IDS) expect(og.mock.catalog.get(id)?.live, id).toBe(false);
    expect((await next.stop()).pending.size).toBe(0);
  } finally {
    await og.close();
  }
}, 60_000);
