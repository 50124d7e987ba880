/**
 * The kit's own clients work through og-mock --upstream unmodified (issue 37): `og-stock` and
 * `StockSync` pointed at the proxy change the upstream's catalog, signed with HMAC, and every
 * answer they got was the upstream's (journaled as `real`).
 */
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningMockServer, startMockServer } from "../../mock-server/node/server.js";
import { main } from "../../src/cli/main.js";
import { OrdergrooveClient } from "../../src/index.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { CREDS } from "../helpers/mock-server.js";
import { startProxy } from "./upstreams.js";

let upstream: RunningMockServer;
let proxy: RunningMockServer;

beforeAll(async () => {
  upstream = await startMockServer({ port: 0, logger: pino({ level: "silent" }), throttle: false });
  proxy = await startProxy(upstream.url);
});
afterAll(async () => Promise.all([upstream.close(), proxy.close()]));

const sources = () => proxy.mock.journal.entries().map((e) => e.source);

describe("through the proxy, unmodified", () => {
  it("og-stock tells the upstream a product ran out and reads it back", async () => {
    proxy.merchants.reset();
    let stdout = "";
    const env = {
      OG_BASE_URL: proxy.url,
      OG_PUBLIC_ID: CREDS.publicId,
      OG_SIG_FIELD: CREDS.sigField,
      OG_HASH_KEY: CREDS.hashKey,
    };
    const io = { env, stdout: (t: string) => void (stdout += t), stderr: () => {}, isTTY: false };
    expect(await main(["out", "og-coffee-beans-1kg"], io)).toBe(0);
    expect(upstream.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(false);
    expect(await main(["get", "og-coffee-beans-1kg"], io)).toBe(0);
    expect(stdout).toMatch(/live[=:" ]+false/);
    expect(sources().every((s) => s === "real")).toBe(true);
    expect(sources().length).toBeGreaterThanOrEqual(2);
  });

  it("StockSync's flush reaches the upstream", async () => {
    proxy.merchants.reset();
    upstream.merchants.reset();
    const client = new OrdergrooveClient({
      environment: { baseUrl: proxy.url },
      credentials: { kind: "hmac", ...CREDS },
    });
    const sync = new StockSync({
      client,
      thresholds: { outOfStockAt: 0, lowStockAt: 3, restockAt: 10 },
      known: { "og-green-tea-100": true },
      setTimer: () => {},
      clearTimer: () => {},
    });
    sync.record({ productId: "og-green-tea-100", stock: 0 });
    const flush = await sync.flush();
    expect(flush?.failed ?? []).toEqual([]);
    expect(upstream.mock.catalog.get("og-green-tea-100")?.live).toBe(false);
    expect(sources()).toEqual(["real"]);
  });
});
