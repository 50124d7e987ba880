/** Load the fake must hold without losing or misordering anything; limits.test.ts has the limits that protect it. */
import { describe, expect, it } from "vitest";
import { API_KEY, useMockServer } from "../helpers/mock-server.js";
import { rawRequest } from "../helpers/raw-http.js";

// 10,000 requests from one address: over Ordergroove's per-IP limit, which is tested on its own.
const og = useMockServer({ throttle: false, ipLimit: false, journalLimit: 1000 });
const headers = { "content-type": "application/json", "x-api-key": API_KEY };

describe("load: 50 concurrent clients x 200 requests toggling overlapping products", () => {
  it("journals every request, ends with each product at its last applied write, and stays bounded", async () => {
    const products = [
      "og-coffee-beans-1kg",
      "og-green-tea-100",
      "og-dog-food-12kg",
      "og-cat-litter-10l",
      "og-razor-blades-8",
    ];
    const statuses = new Map<number, number>();
    const client = async (c: number) => {
      for (let i = 0; i < 200; i++) {
        const batch = [products[(c + i) % 5]!, products[(c * 7 + i * 3) % 5]!].map((product_id, k) => ({
          product_id,
          live: (c + i + k) % 2 === 0,
        }));
        const answer = await rawRequest(og.url, "PATCH", "/products-batch/update/", headers, JSON.stringify(batch));
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      }
    };
    const before = process.memoryUsage().heapUsed;
    await Promise.all(Array.from({ length: 50 }, (_, c) => client(c)));
    expect(statuses).toEqual(new Map([[207, 10_000]]));
    const journal = og.running.mock.journal;
    expect(journal.total).toBe(10_000);
    expect(journal.size).toBe(1000); // bounded: the cap holds under load
    // The final state of each product is its last applied write, in the order the fake applied them.
    const entries = journal.entries();
    const last = new Map<string, boolean>();
    for (const e of entries)
      for (const item of e.body as Array<{ product_id: string; live: boolean }>) last.set(item.product_id, item.live);
    for (const [id, live] of last) expect(og.running.mock.catalog.get(id)?.live, id).toBe(live);
    // Memory: the journal cap bounds what 10,000 requests leave behind (generous: GC timing varies).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(100 * 1024 * 1024);
  }, 60_000);
});
