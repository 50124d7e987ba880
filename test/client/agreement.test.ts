/**
 * Issue 34, as a merchant's suite meets it: the kit's client, StockSync and the fake agree on every
 * input the spec allows. Each test is one of the numbered points, over real HTTP.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OrdergrooveClient } from "../../src/client/client.js";
import { StockSync } from "../../src/sync/stock-sync.js";
import { clientFor } from "../helpers/client.js";
import { DOC_CREDENTIALS, type DocShapedServer, startDocShapedServer } from "../helpers/doc-shaped-server.js";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });

const seed = (ids: string[]) => og.running.mock.catalog.upsert(ids.map((id) => ({ external_product_id: id })));
const live = (id: string) => og.running.mock.catalog.get(id)?.live;

describe("1. an id longer than the spec's 255 characters", () => {
  it("is reported invalid on its own; the other 99 items of its batch are updated", async () => {
    const ids = Array.from({ length: 100 }, (_, i) => `p-${i}`);
    seed(ids);
    const long = `x${"y".repeat(300)}`;
    ids[42] = long;
    const { client } = clientFor(og);
    const report = await client.setLive(ids, false);
    expect(report.updated).toHaveLength(99);
    expect(report.items[42]).toMatchObject({ productId: long, outcome: "invalid", status: 400 });
    expect(report.items[42]!.reason).toMatch(/must NOT have more than 255 characters; got 301/);
    expect(report.failed).toEqual([]);
    expect(live("p-41")).toBe(false);
  });

  it("in an answer that is not in request order, only the item no result names is failed", async () => {
    seed(["a", "b", "c"]);
    // A service that answers in reverse order, echoing one id differently: the fake's real answer, rewritten.
    const reordering = async (request: Request) => {
      const response = await fetch(request);
      const body = (await response.json()) as { results: Array<{ product_id: string }> };
      const results = body.results.reverse().map((r) => (r.product_id === "b" ? { ...r, product_id: "B" } : r));
      return new Response(JSON.stringify({ results }), { status: response.status, headers: response.headers });
    };
    const { client } = clientFor(og, { fetch: reordering });
    const report = await client.setLive(["a", "b", "c"], false);
    expect(report.items.map((i) => [i.productId, i.outcome])).toEqual([
      ["a", "updated"],
      ["b", "failed"],
      ["c", "updated"],
    ]);
    expect(report.items[1]!.reason).toMatch(
      /no result for product_id "b" .*this item may or may not have been applied/,
    );
    expect(report.requests).toBe(1);
  });

  it("does not make StockSync resend the batch on every flush", async () => {
    seed(["a", "b"]);
    const long = "z".repeat(256);
    const { client } = clientFor(og);
    const sync = new StockSync({ client, thresholds: { restockAt: 5 }, flushIntervalMs: 0 });
    for (const productId of ["a", long, "b"]) sync.record({ productId, stock: 0 });
    const flush = await sync.flush();
    expect(flush!.report.updated.map((i) => i.productId)).toEqual(["a", "b"]);
    expect(flush!.rejected.map((i) => i.productId)).toEqual([long]);
    expect(sync.pending.size).toBe(0);
    expect(await sync.flush()).toBeUndefined();
  });
});

describe("2. ids measured in characters, not UTF-16 units", () => {
  it.each([128, 255])("an id of %i emoji is seeded, updated in a batch and read back", async (n) => {
    const id = "🧃".repeat(n);
    seed([id]);
    const { client } = clientFor(og);
    const report = await client.setLive([id], false);
    expect(report.items[0]).toMatchObject({ productId: id, outcome: "updated" });
    expect((await client.getProduct(id))?.live).toBe(false);
    const created = await client.createProducts([{ product_id: `${"🍵".repeat(n - 1)}!` }]);
    expect(created.ok).toBe(true);
  });

  it("an id of 256 emoji is refused, and the answer quotes 255 whole emoji", async () => {
    const id = "🧃".repeat(256);
    const answer = await og.patchBatch([{ product_id: id, live: false }]);
    const result = (answer.body as { results: Array<{ product_id: string; detail: string }> }).results[0]!;
    expect(result.product_id).toBe(`${"🧃".repeat(255)}…`);
    expect(result.detail).toMatch(/got 256 /);
    expect(answer.text).not.toMatch(/\\ud[89ab]/i);
  });
});

describe("3. ids that are URL dot segments", () => {
  it.each([".", ".."])("getProduct(%j) reads that product, not the listing or the root", async (id) => {
    og.running.mock.catalog.upsert([{ external_product_id: id, name: `dot ${id}`, autoship_enabled: false }]);
    const { client } = clientFor(og);
    expect(await client.getProduct(id)).toMatchObject({ external_product_id: id, name: `dot ${id}` });
    expect(await client.hasGroup(id, "eligibility", "subscription")).toBe(false);
    const report = await client.setLive([id], false);
    expect(report.ok).toBe(true);
    expect((await client.getProduct(id))?.live).toBe(false);
  });

  it("getProduct of an unknown dot id is null; updateProduct says what to use instead, sending nothing", async () => {
    const { client } = clientFor(og, { credentials: { kind: "api-key", apiKey: API_KEY } });
    expect(await client.getProduct("..")).toBeNull();
    const before = og.running.mock.journal.total;
    await expect(client.updateProduct(".", { price: 1 })).rejects.toThrow(
      /^Failed to update product "\.": .*Use updateProducts\(\[\{ product_id, \.\.\.fields \}\]\)/,
    );
    expect(og.running.mock.journal.total).toBe(before);
  });
});

describe("4. a create whose answer was lost", () => {
  /** The answer to the first request is lost on the way back: the fake applied it. */
  function losingFirstAnswer(code: string) {
    let lose = 1;
    return async (request: Request) => {
      if (code === "ECONNREFUSED" && lose-- > 0) throw new TypeError("fetch failed", { cause: { code } });
      const response = await fetch(request);
      if (code !== "ECONNREFUSED" && lose-- > 0) throw new TypeError("fetch failed", { cause: { code } });
      return response;
    };
  }

  it("is not resent, and its product is reported failed with why, never invalid", async () => {
    const { client } = clientFor(og, { fetch: losingFirstAnswer("ECONNRESET") });
    const report = await client.createProducts([{ product_id: "new-1", name: "New" }]);
    expect(report.items[0]).toMatchObject({ outcome: "failed", status: null });
    expect(report.items[0]!.reason).toMatch(/may or may not have been created.*Check with getProduct/);
    expect(report.requests).toBe(1);
    expect(og.running.mock.catalog.get("new-1")?.name).toBe("New");
  });

  it("is resent when the connection was refused (nothing was sent)", async () => {
    const { client } = clientFor(og, { fetch: losingFirstAnswer("ECONNREFUSED") });
    const report = await client.createProducts([{ product_id: "new-2" }]);
    expect(report).toMatchObject({ ok: true, requests: 2 });
  });

  it("an update whose answer was lost is still resent: setting live twice is harmless", async () => {
    const { client } = clientFor(og, { fetch: losingFirstAnswer("ECONNRESET") });
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report).toMatchObject({ ok: true, requests: 2 });
  });
});

describe("5. Retry-After as an HTTP date", () => {
  it("is waited for, by the client's clock, and the batch goes through", async () => {
    og.running.mock.setBehaviour({ retryAfter: "http-date" });
    og.running.mock.faults.failNext(429, 2);
    const { client, sleeps } = clientFor(og);
    const report = await client.setLive(["og-coffee-beans-1kg"], false);
    expect(report).toMatchObject({ ok: true, requests: 3 });
    // The fake asked for 1 s, as a date of whole seconds rounded up: 1 to 2 s from now.
    for (const ms of sleeps) expect(ms >= 1000 && ms <= 2000).toBe(true);
    expect(sleeps).toHaveLength(2);
  });
});

describe("6. one product in two of the client's batches", () => {
  it("ends as its last occurrence asked, even when the first batch is retried", async () => {
    const ids = Array.from({ length: 149 }, (_, i) => `r-${i}`);
    seed(ids);
    const items = [
      { product_id: "og-coffee-beans-1kg", live: false },
      ...ids.map((product_id) => ({ product_id, live: false })),
    ];
    items.splice(120, 0, { product_id: "og-coffee-beans-1kg", live: true });
    og.running.mock.faults.failNext(503, 1);
    const { client } = clientFor(og, { concurrency: 2 });
    const report = await client.updateProducts(items);
    expect(report.items[0]!.outcome).toBe("updated");
    expect(report.items[120]!.outcome).toBe("updated");
    expect(live("og-coffee-beans-1kg")).toBe(true);
    const entries = og.running.mock.journal.entries();
    // A request refused before its body was read (the injected 503) is journaled as text.
    const first = (e: (typeof entries)[number]) =>
      typeof e.body === "string"
        ? /"product_id":"([^"]*)"/.exec(e.body)?.[1]
        : (e.body as Array<{ product_id: string }>)[0]!.product_id;
    // The 503 answered the batch holding the first occurrence, and its retry came before the second.
    expect(entries.map((e) => [first(e), "status" in e.response ? e.response.status : 0])).toEqual([
      ["og-coffee-beans-1kg", 503],
      ["og-coffee-beans-1kg", 207],
      ["r-99", 207],
    ]);
  });
});

describe("8. an item status the spec does not list", () => {
  let server: DocShapedServer | undefined;
  afterEach(async () => server?.close());

  it("is a failed item that StockSync keeps and resends, not an invalid one it drops", async () => {
    server = await startDocShapedServer({ resultQuirks: { status: 500, detail: "try later" } });
    const client = new OrdergrooveClient({
      environment: { baseUrl: server.url },
      credentials: { kind: "api-key", apiKey: DOC_CREDENTIALS.apiKey },
      rateLimit: false,
      onDrift: () => {},
    });
    const report = await client.setLive(["doc-1"], false);
    expect(report.items[0]).toMatchObject({ outcome: "failed", status: 500 });
    expect(report.items[0]!.reason).toMatch(/answered this item 500.*try later/);
    const sync = new StockSync({ client, thresholds: { restockAt: 5 }, flushIntervalMs: 0, onError: () => {} });
    sync.record({ productId: "doc-1", stock: 0 });
    const flush = await sync.flush();
    expect(flush!.failed.map((i) => i.productId)).toEqual(["doc-1"]);
    expect(flush!.rejected).toEqual([]);
    expect([...sync.pending]).toEqual([["doc-1", false]]);
  });
});

describe("9. external_product_ids[] takes any text", () => {
  it("an id holding a comma is one id, not two", async () => {
    og.running.mock.catalog.upsert([
      { external_product_id: "a,b" },
      { external_product_id: "a" },
      { external_product_id: "b" },
    ]);
    const { client } = clientFor(og);
    const listed: string[] = [];
    for await (const p of client.listProducts({ "external_product_ids[]": ["a,b"] }))
      listed.push(p.external_product_id);
    expect(listed).toEqual(["a,b"]);
  });
});

describe("10. prices with more than two decimals", () => {
  it.each([12.999, 1.005, "12.999", "1.005"])("%j is refused, as a number and as a string", async (price) => {
    const { client } = clientFor(og);
    const report = await client.updateProducts([{ product_id: "og-coffee-beans-1kg", price } as never]);
    expect(report.items[0]).toMatchObject({ outcome: "invalid", status: 400 });
    expect(report.items[0]!.reason).toMatch(/^price: .*at most two decimals/);
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.price).not.toMatch(/^(13\.00|1\.00)$/);
  });

  it.each([
    [12.99, "12.99"],
    [100, "100.00"],
    [0.1 + 0.2, "0.30"],
    [99999999.99, "99999999.99"],
    ["7.5", "7.50"],
  ])("%j is stored as %j", async (price, stored) => {
    const { client } = clientFor(og);
    const report = await client.updateProducts([{ product_id: "og-coffee-beans-1kg", price } as never]);
    expect(report.ok).toBe(true);
    expect((await client.getProduct("og-coffee-beans-1kg"))?.price).toBe(stored);
  });
});

describe("11. recordDurably with a bad change in the list", () => {
  it.each([Number.NaN, "3", undefined])(
    "a stock level of %j throws, records none of the list, and the next flush sends nothing",
    async (stock) => {
      const dir = await mkdtemp(join(tmpdir(), "og-agreement-"));
      try {
        const { client } = clientFor(og);
        const sync = await StockSync.start({ client, outbox: dir, thresholds: { restockAt: 5 }, flushIntervalMs: 0 });
        const before = og.running.mock.journal.total;
        await expect(
          sync.recordDurably([
            { productId: "og-coffee-beans-1kg", stock: 0 },
            { productId: "og-green-tea-100", stock: stock as number },
          ]),
        ).rejects.toThrow(/^Invalid stock level of "og-green-tea-100": expected a number, got (NaN|"3"|undefined)\.$/);
        expect(sync.pending.size).toBe(0);
        expect(await sync.flush()).toBeUndefined();
        expect(og.running.mock.journal.total).toBe(before);
        await sync.stop();
        const again = await StockSync.start({ client, outbox: dir, thresholds: { restockAt: 5 }, flushIntervalMs: 0 });
        expect(again.replayed).toBe(0);
        await again.stop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});

describe("12. listing pages and the client's bulk window (--rate)", () => {
  it("reading the catalog takes nothing from the window a later batch needs", async () => {
    seed(Array.from({ length: 250 }, (_, i) => `w-${i}`));
    const { client, sleeps } = clientFor(og, { rateLimit: { limit: 1, windowMs: 60_000 } });
    let read = 0;
    for await (const _ of client.listProducts({ autoship_enabled: "all" })) read++;
    expect(read).toBeGreaterThan(250);
    expect((await client.setLive(["w-1"], false)).ok).toBe(true);
    expect(sleeps).toEqual([]);
  });
});
