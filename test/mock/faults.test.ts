import { describe, expect, it } from "vitest";
import { useMockServer } from "../helpers/mock-server.js";

const og = useMockServer();
const ITEMS = [{ product_id: "og-coffee-beans-1kg", live: false }];

describe("faults on demand", () => {
  it("forces a per-item status for ids matching a pattern, without applying them", async () => {
    og.running.mock.faults.forceItemStatus("og-coffee-*", 400);
    og.running.mock.faults.forceItemStatus("166603786142092350", 404);
    const answer = await og.patchBatch([
      { product_id: "og-coffee-beans-1kg", live: false },
      { product_id: "og-coffee-beans-250g", live: false },
      { product_id: "166603786142092350", live: false },
      { product_id: "og-green-tea-100", live: false },
    ]);
    expect(answer.body).toEqual({
      results: [
        { product_id: "og-coffee-beans-1kg", status: 400, detail: "forced by a fault rule (400)" },
        { product_id: "og-coffee-beans-250g", status: 400, detail: "forced by a fault rule (400)" },
        { product_id: "166603786142092350", status: 404, detail: "forced by a fault rule (404)" },
        { product_id: "og-green-tea-100", status: 200 },
      ],
    });
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
  });

  it.each([
    [429, { "retry-after": "7" }, "Request was throttled. Expected available in 7 seconds. (injected fault)"],
    [500, {}, "A server error occurred. (injected fault)"],
    [503, {}, "Service temporarily unavailable. (injected fault)"],
  ])("answers the next N requests with %i, then recovers", async (status, headers, detail) => {
    og.running.mock.faults.failNext(status, 2, status === 429 ? 7 : undefined);
    for (let i = 0; i < 2; i++) {
      const answer = await og.patchBatch(ITEMS);
      expect(answer.status).toBe(status);
      expect(answer.headers).toMatchObject(headers);
      expect(answer.body).toEqual({ detail });
    }
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    expect((await og.patchBatch(ITEMS)).status).toBe(207);
  });

  it("uses up queued faults in order", async () => {
    og.running.mock.faults.failNext(503);
    og.running.mock.faults.failNext(429);
    expect((await og.patchBatch(ITEMS)).status).toBe(503);
    expect((await og.patchBatch(ITEMS)).status).toBe(429);
    expect((await og.patchBatch(ITEMS)).status).toBe(207);
  });

  it("adds latency to every answer", async () => {
    og.running.mock.faults.setLatency(150);
    const started = performance.now();
    expect((await og.patchBatch(ITEMS)).status).toBe(207);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it("drops the connection of the next request, and changes nothing", async () => {
    og.running.mock.faults.dropNext(1);
    await expect(og.patchBatch(ITEMS)).rejects.toThrow(/fetch failed/);
    expect(og.running.mock.catalog.get("og-coffee-beans-1kg")?.live).toBe(true);
    expect(og.running.mock.journal.entries().at(-1)?.response).toEqual({ dropped: true });
    expect((await og.patchBatch(ITEMS)).status).toBe(207);
  });

  it("are set, read and cleared through the admin API; a bad setting is refused and changes nothing", async () => {
    const set = await og.admin("PUT", "faults", {
      next: [{ status: 503, count: 1 }],
      items: [{ match: "x*", status: 404 }],
    });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      items: [{ match: "x*", status: 404 }],
      next: [{ status: 503, count: 1 }],
      latencyMs: 0,
      dropNext: 0,
    });
    const bad = await og.admin("PUT", "faults", { next: [{ status: 200 }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      detail: "Admin API: invalid faults: next[0].status: must be >= 400.",
    });
    expect((await og.admin("GET", "faults")).body).toEqual(set.body);
    expect((await og.patchBatch(ITEMS)).status).toBe(503);
    expect((await og.admin("DELETE", "faults")).body).toEqual({ items: [], next: [], latencyMs: 0, dropNext: 0 });
  });

  it.each([
    [
      { items: [{ match: "", status: 404 }] },
      "Admin API: invalid faults: items[0].match: must NOT have fewer than 1 characters.",
    ],
    [{ items: [{ match: "a", status: 500 }] }, "Admin API: invalid faults: items[0].status: must be one of 400, 404."],
    [{ latencyMs: -1 }, "Admin API: invalid faults: latencyMs: must be >= 0."],
    [{ dropNext: 1.5 }, "Admin API: invalid faults: dropNext: must be integer."],
    [{ dropNext: 1_000_001 }, "Admin API: invalid faults: dropNext: must be <= 1000000."],
    [{ next: [{ status: 503, count: 1_000_001 }] }, "Admin API: invalid faults: next[0].count: must be <= 1000000."],
    [
      { next: [{ status: 429, retryAfterSeconds: 1_000_001 }] },
      "Admin API: invalid faults: next[0].retryAfterSeconds: must be <= 1000000.",
    ],
    [{ chaos: true }, "Admin API: invalid faults: chaos: is not a known field."],
    [[], "Admin API: invalid faults: must be object."],
  ])("refuses fault settings %j with a specific message", async (body, detail) => {
    const answer = await og.admin("PUT", "faults", body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ detail });
  });
});
