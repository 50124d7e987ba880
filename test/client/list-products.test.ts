import { describe, expect, it, vi } from "vitest";
import { defaultCatalog } from "../../mock-server/core/products/default-catalog.js";
import type { Product } from "../../src/client/client.js";
import { clientFor } from "../helpers/client.js";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer({ throttle: false });
const WHOLE = { autoship_enabled: "all", allow_discontinued: "true" } as const;

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

function listRequests(): string[] {
  return og.running.mock.journal
    .entries()
    .filter((e) => e.method === "GET" && e.path.startsWith("/products/?"))
    .map((e) => e.path);
}

describe("client.listProducts", () => {
  it("follows next links with cursor pagination, 100 per page, through the whole catalog in order", async () => {
    const extra = Array.from({ length: 230 }, (_, i) => ({ external_product_id: `bulk-${i}`, name: `Bulk ${i}` }));
    og.running.mock.catalog.upsert(extra);
    const { client } = clientFor(og);
    const pages: number[] = [];
    const products = await all(client.listProducts(WHOLE, { onPage: (_, n) => pages.push(n) }));
    expect(products.map((p) => p.external_product_id)).toEqual([
      ...defaultCatalog.map((p) => p.external_product_id),
      ...extra.map((p) => p.external_product_id),
    ]);
    expect(pages).toEqual([100, 100, 54]);
    const requests = og.running.mock.journal.entries().filter((e) => e.method === "GET");
    expect(requests.every((e) => e.headers["x-og-api-version"] === "2")).toBe(true);
  });

  it("sends the filters as Ordergroove names them, external_product_ids[] repeated", async () => {
    const { client } = clientFor(og);
    const products = await all(
      client.listProducts({ "external_product_ids[]": ["og-granola-500g", "og-coffee-beans-1kg"], live: true }),
    );
    expect(products.map((p: Product) => p.external_product_id)).toEqual(["og-coffee-beans-1kg", "og-granola-500g"]);
    expect(listRequests()[0]).toBe(
      "/products/?page_size=100&external_product_ids%5B%5D=og-granola-500g&external_product_ids%5B%5D=og-coffee-beans-1kg&live=true",
    );
  });

  it("reads at most `prefetch` pages ahead of a consumer that stops, and stops reading when it breaks", async () => {
    // Page requests counted as the client makes them: sent, and answered.
    let sent = 0;
    let answered = 0;
    const { client } = clientFor(og, {
      fetch: async (request) => {
        sent++;
        try {
          return await fetch(request);
        } finally {
          answered++;
        }
      },
    });
    const idle = () => expect(answered).toBe(sent);
    const seen: string[] = [];
    for await (const product of client.listProducts({ ...WHOLE, page_size: 2 }, { prefetch: 3 })) {
      seen.push(product.external_product_id);
      if (seen.length === 1) {
        // The reader runs ahead meanwhile, up to its limit: the page being consumed + 3 read ahead.
        await vi.waitFor(() => {
          expect(sent).toBeGreaterThanOrEqual(4);
          idle();
        });
        expect(sent).toBe(4);
        expect(listRequests()).toHaveLength(4);
      }
      if (seen.length === 4) break;
    }
    // Once the one read that may have been on its way is in, nothing more is asked for.
    await vi.waitFor(idle);
    expect(sent).toBeLessThanOrEqual(6); // 12 pages exist; it stopped
    expect(listRequests()).toHaveLength(sent);
  });

  it("retries a page that failed with 503, with the client's retry policy", async () => {
    const { client, sleeps } = clientFor(og);
    og.running.mock.faults.set({ items: [], next: [{ status: 503, count: 2 }], latencyMs: 0, dropNext: 0 });
    const products = await all(client.listProducts(WHOLE));
    expect(products).toHaveLength(defaultCatalog.length);
    expect(sleeps).toHaveLength(2);
  });

  it("does not spend the bulk window on pages (Ordergroove's 600/minute covers bulk create and update only)", async () => {
    const { client, sleeps } = clientFor(og, { rateLimit: { limit: 2, windowMs: 60_000 } });
    await client.setLive(["og-green-tea-100"], false);
    expect(await all(client.listProducts({ ...WHOLE, page_size: 10 }))).toHaveLength(defaultCatalog.length); // 3 pages
    await client.setLive(["og-green-tea-100"], true); // the second of the window's two bulk slots
    expect(sleeps).toEqual([]);
    await client.setLive(["og-green-tea-100"], false); // the third bulk call waits for the window
    expect(sleeps[0]).toBeGreaterThan(50_000);
  });

  it("backs off and retries a page refused by the per-IP limit (429 without Retry-After)", async () => {
    const { client, sleeps } = clientFor(og);
    og.running.merchants.setIpLimit({ limit: 1, windowMs: 1_000 });
    try {
      expect(await all(client.listProducts({ ...WHOLE, page_size: 10 }))).toHaveLength(defaultCatalog.length);
      expect(sleeps.length).toBeGreaterThan(0);
    } finally {
      og.running.merchants.setIpLimit(false);
    }
  });

  it("refuses a prefetch outside 1..5", () => {
    const { client } = clientFor(og);
    expect(() => client.listProducts({}, { prefetch: 6 })).toThrow(RangeError);
  });
});

describe("client.hasGroup", () => {
  it("answers true, false, or null for an unknown product", async () => {
    const { client } = clientFor(og);
    expect(await client.hasGroup("og-coffee-beans-1kg", "eligibility", "coffee-club")).toBe(true);
    expect(await client.hasGroup("og-green-tea-100", "eligibility", "coffee-club")).toBe(false);
    expect(await client.hasGroup("nope", "eligibility", "coffee-club")).toBeNull();
  });
});
